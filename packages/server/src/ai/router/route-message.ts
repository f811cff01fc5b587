import { type EscalationPriority, type EscalationReason, LEAD_INTENTS, type LeadIntent } from '@leaddesk/shared';
import { z } from 'zod';
import { countryFromLocale } from '../../leads/normalize-contact.js';
import type { ReplyContext } from '../../replies/reply-engine.js';
import { SUPPORTED_LANGUAGES, type SupportedLanguage } from '../../understanding/language.js';
import type { Understanding } from '../../understanding/types.js';
import { understand } from '../../understanding/understand.js';
import type { ToolSpec } from '../providers/provider.js';
import { escalationFor, escalationKeyword } from './router-rules.js';

export interface Route {
  language: SupportedLanguage;
  urgency: 'high' | 'normal' | 'low';
  escalate: { reason: EscalationReason; priority: EscalationPriority; detail: string } | null;
  /** A lead intent (booking, pricing, information, complaint, …), from the understanding module or the fast model. */
  intent: LeadIntent;
  /** `rules` when the understanding module decided, `model` when the fast model was asked. */
  source: 'rules' | 'model';
  /** The words behind the decision ("urgency: dolor de muelas"). */
  matched: string[];
  /** Everything the message says, read once and shared with the reply (absent when built by hand). */
  understanding?: Understanding;
}

export interface RouteOptions {
  /** Messages after which a conversation is handed to staff. @default 40 */
  longConversation?: number;
  /** Asked only when the rules are unsure; null when it failed (the rules' answer stands). */
  classify?: (text: string, language: SupportedLanguage) => Promise<ModelRoute | null>;
  /** When the message was sent, for relative dates. @default the trigger message's createdAt */
  now?: Date;
}

export const modelRouteSchema = z.object({
  language: z.string().min(2).max(8),
  urgency: z.enum(['high', 'normal', 'low']),
  escalate: z.boolean(),
  // The lead intents, plus the earlier vocabulary ("question", "greeting") a model may still answer with.
  intent: z.enum([...LEAD_INTENTS, 'question', 'greeting']),
});
export type ModelRoute = z.infer<typeof modelRouteSchema>;

export const CLASSIFY_TOOL: ToolSpec = {
  name: 'classify_message',
  description: "Classify the visitor's latest message for routing.",
  inputSchema: {
    type: 'object',
    properties: {
      language: { type: 'string', description: 'ISO 639-1 code of the language the visitor writes in' },
      urgency: { type: 'string', enum: ['high', 'normal', 'low'] },
      escalate: { type: 'boolean', description: 'true only if a human must take over now' },
      intent: {
        type: 'string',
        enum: [...LEAD_INTENTS],
      },
    },
    required: ['language', 'urgency', 'escalate', 'intent'],
  },
};

const MODEL_INTENT: Record<ModelRoute['intent'], LeadIntent> = {
  ...(Object.fromEntries(LEAD_INTENTS.map((i) => [i, i])) as Record<LeadIntent, LeadIntent>),
  question: 'information',
  greeting: 'other',
};

/**
 * Routes a visitor message on what the understanding module reads in it
 * (intent, urgency, emergency, in the visitor's language), and asks the fast
 * model only when that reading found nothing to go on in a message long
 * enough to mean something.
 */
export async function routeMessage(context: ReplyContext, options: RouteOptions = {}): Promise<Route> {
  const text = context.trigger.content;
  const client = context.client;
  const u = understand({
    text,
    now: options.now ?? new Date(context.trigger.createdAt),
    timeZone: client.timezone,
    region: countryFromLocale(client.locale),
    knownLanguage: context.lead?.language,
    fallbackLanguage: client.locale.split(/[-_]/)[0] ?? 'en',
    services: client.config.services,
    industry: client.industry,
  });
  const matched = u.evidence.filter((e) => ROUTING_FIELDS.has(e.field)).map((e) => e.text);
  const route: Route = {
    language: u.language,
    urgency: u.urgency === 'high' ? 'high' : u.urgency === 'low' ? 'low' : 'normal',
    escalate: escalationFor({
      text,
      understanding: u,
      config: client.config,
      historyLength: context.history.length,
      longConversation: options.longConversation,
    }),
    intent: u.intent,
    source: 'rules',
    matched,
    understanding: u,
  };
  const keyword = escalationKeyword(text, client.config.escalation.keywords);
  const snippet = text.slice(0, 300);

  const words = text.trim().split(/\s+/).filter(Boolean).length;
  // Unsure only when the reading found nothing at all: no intent, no urgency, no detail (a budget, a date, a service…).
  const foundDetail = Boolean(u.date || u.budget || u.party || u.bedrooms || u.service || u.email || u.phone);
  const unsure = u.intent === 'other' && u.urgency === null && !u.emergency && !foundDetail && !keyword && words >= 6;
  if (unsure && options.classify) {
    const model = await options.classify(text, u.language).catch(() => null);
    if (model) {
      route.source = 'model';
      if ((SUPPORTED_LANGUAGES as readonly string[]).includes(model.language)) {
        route.language = model.language as SupportedLanguage;
      }
      route.urgency = model.urgency;
      route.intent = MODEL_INTENT[model.intent];
      if (model.escalate) {
        const reason: EscalationReason =
          route.intent === 'complaint'
            ? 'complaint'
            : route.intent === 'human_request'
              ? 'visitor_request'
              : model.urgency === 'high'
                ? 'urgent'
                : 'other';
        route.escalate = {
          reason,
          priority: model.urgency === 'high' ? 'urgent' : 'high',
          detail: `Router (model): "${snippet}"`,
        };
      }
    }
  }
  return route;
}

const ROUTING_FIELDS = new Set(['intent', 'urgency', 'emergency']);
