import type { EscalationPriority, EscalationReason } from '@leaddesk/shared';
import { z } from 'zod';
import type { ReplyContext } from '../../replies/reply-engine.js';
import { fold } from '../../replies/structured/extract.js';
import { detectLanguage, SUPPORTED_LANGUAGES, type SupportedLanguage } from '../../replies/structured/language.js';
import type { ToolSpec } from '../providers/provider.js';
import { findPhrase, ROUTER_RULES } from './router-rules.js';

export interface Route {
  language: SupportedLanguage;
  urgency: 'high' | 'normal' | 'low';
  escalate: { reason: EscalationReason; priority: EscalationPriority; detail: string } | null;
  /** booking, pricing, greeting, human_request, complaint, question, other. */
  intent: string;
  /** `rules` when the keyword rules decided, `model` when the fast model was asked. */
  source: 'rules' | 'model';
  matched: string[];
}

export interface RouteOptions {
  /** Messages after which a conversation is handed to staff. @default 40 */
  longConversation?: number;
  /** Asked only when the rules are unsure; null when it failed (the rules' answer stands). */
  classify?: (text: string, language: SupportedLanguage) => Promise<ModelRoute | null>;
}

export const modelRouteSchema = z.object({
  language: z.string().min(2).max(8),
  urgency: z.enum(['high', 'normal', 'low']),
  escalate: z.boolean(),
  intent: z.enum(['booking', 'pricing', 'question', 'complaint', 'human_request', 'greeting', 'other']),
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
        enum: ['booking', 'pricing', 'question', 'complaint', 'human_request', 'greeting', 'other'],
      },
    },
    required: ['language', 'urgency', 'escalate', 'intent'],
  },
};

/**
 * Routes a visitor message: keyword rules first (in the visitor's language
 * and in English, which visitors mix in), and the fast model only when the
 * rules found nothing to go on in a message long enough to mean something.
 */
export async function routeMessage(context: ReplyContext, options: RouteOptions = {}): Promise<Route> {
  const text = context.trigger.content;
  const language = detectLanguage(text, context.lead?.language, context.client.locale.split(/[-_]/)[0] ?? 'en');
  const folded = fold(text);
  const sets = language === 'en' ? [ROUTER_RULES.en] : [ROUTER_RULES[language], ROUTER_RULES.en];
  const hit = (key: keyof (typeof ROUTER_RULES)['en']) => {
    for (const rules of sets) {
      const found = findPhrase(folded, rules[key]);
      if (found) return found;
    }
    return undefined;
  };
  const matched: string[] = [];
  const human = hit('human');
  const complaint = hit('complaint');
  const urgent = hit('urgent');
  const booking = hit('booking');
  const pricing = hit('pricing');
  const greeting = hit('greeting');
  for (const m of [human, complaint, urgent, booking, pricing, greeting]) if (m) matched.push(m);

  const route: Route = {
    language,
    urgency: urgent ? 'high' : 'normal',
    escalate: null,
    intent: human
      ? 'human_request'
      : complaint
        ? 'complaint'
        : booking
          ? 'booking'
          : pricing
            ? 'pricing'
            : greeting
              ? 'greeting'
              : text.includes('?')
                ? 'question'
                : 'other',
    source: 'rules',
    matched,
  };
  const config = context.client.config;
  const keyword = config.escalation.keywords.find((k) => folded.includes(fold(k)));
  if (human && config.escalation.onHumanRequest) {
    route.escalate = {
      reason: 'visitor_request',
      priority: 'high',
      detail: `Visitor asked for a person: "${text.slice(0, 300)}"`,
    };
  } else if (complaint) {
    route.escalate = { reason: 'complaint', priority: 'high', detail: `Complaint: "${text.slice(0, 300)}"` };
  } else if (keyword) {
    route.escalate = {
      reason: 'keyword',
      priority: 'high',
      detail: `Escalation keyword "${keyword}" in: "${text.slice(0, 300)}"`,
    };
  } else if (urgent) {
    route.escalate = { reason: 'urgent', priority: 'urgent', detail: `Urgent: "${text.slice(0, 300)}"` };
  } else if (context.history.length >= (options.longConversation ?? 40)) {
    route.escalate = {
      reason: 'other',
      priority: 'normal',
      detail: `Long conversation (${context.history.length} messages) without a resolution`,
    };
  }

  const words = text.trim().split(/\s+/).filter(Boolean).length;
  const unsure = matched.length === 0 && !keyword && words >= 6;
  if (unsure && options.classify) {
    const model = await options.classify(text, language).catch(() => null);
    if (model) {
      route.source = 'model';
      if ((SUPPORTED_LANGUAGES as readonly string[]).includes(model.language)) {
        route.language = model.language as SupportedLanguage;
      }
      route.urgency = model.urgency;
      route.intent = model.intent;
      if (model.escalate) {
        const reason: EscalationReason =
          model.intent === 'complaint'
            ? 'complaint'
            : model.intent === 'human_request'
              ? 'visitor_request'
              : model.urgency === 'high'
                ? 'urgent'
                : 'other';
        route.escalate = {
          reason,
          priority: model.urgency === 'high' ? 'urgent' : 'high',
          detail: `Router (model): "${text.slice(0, 300)}"`,
        };
      }
    }
  }
  return route;
}
