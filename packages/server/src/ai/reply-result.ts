import type { AiMetadata } from '@leaddesk/shared';
import type { LeadPatch } from '../conversation/conversation-core.js';
import type { ReplyContext, ReplyResult } from '../replies/reply-engine.js';
import type { QualificationOutput } from './agent/qualification-output.js';
import type { Route } from './router/route-message.js';
import type { BudgetStep } from './usage/usage-meter.js';

/** What the post-reply step needs beyond the ReplyResult (kept off the shared contract). */
export interface AiReplyDetails {
  output?: QualificationOutput;
  route: Route;
  /** Escalations beyond the one in `ReplyResult.escalation`. */
  extraEscalations: NonNullable<ReplyResult['escalation']>[];
}

/** Looked up by the post-reply actions with the result object the orchestrator hands back. */
export const AI_REPLY_DETAILS = new WeakMap<ReplyResult, AiReplyDetails>();

/**
 * A finished AI reply as the orchestrator applies it: the validated
 * qualification output becomes the lead patch (status moves included), the
 * escalations it calls for, and the message metadata.
 */
export function buildReplyResult(
  context: ReplyContext,
  route: Route,
  output: QualificationOutput | undefined,
  meta: {
    provider: string;
    model: string;
    inputTokens: number;
    outputTokens: number;
    cacheReadTokens: number;
    cacheWriteTokens: number;
    firstTokenMs?: number;
    attempts: number;
    fallbackFrom: string[];
    budgetStep: BudgetStep;
    variant?: string;
    structuredOutput: string;
  },
): ReplyResult {
  const config = context.client.config;
  const patch: LeadPatch = { language: route.language };
  const extraEscalations: NonNullable<ReplyResult['escalation']>[] = [];
  let escalation = route.escalate ?? undefined;
  const add = (e: NonNullable<ReplyResult['escalation']>) => {
    if (!escalation) escalation = e;
    else if (escalation.reason !== e.reason) extraEscalations.push(e);
  };
  if (output) {
    const { name, email, phone, custom, ...fields } = output.fieldUpdates;
    if (name) patch.name = name;
    if (email) patch.email = email;
    if (phone) patch.phone = phone;
    const qualification = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== ''));
    if (Object.keys(qualification).length || (custom && Object.keys(custom).length)) {
      patch.qualification = { ...qualification, custom: custom ?? {} };
    }
    patch.score = Math.round(output.score);
    patch.temperature = output.temperature;
    patch.scoreEvidence = output.evidence;
    const known = {
      ...(context.lead?.qualification ?? {}),
      ...qualification,
      custom: { ...(context.lead?.qualification.custom ?? {}), ...(custom ?? {}) },
    } as Record<string, unknown> & { custom: Record<string, string> };
    const answered = (field: string) => (known[field] ?? known.custom[field]) !== undefined;
    const hasContact = Boolean(context.lead?.email || context.lead?.phone || email || phone);
    const required = config.qualificationQuestions.filter((q) => q.required);
    if (output.nextAction === 'nurture') patch.status = 'nurturing';
    else if (output.nextAction === 'transfer_hot_lead') patch.status = 'handed_off';
    else if (required.length && required.every((q) => answered(q.field)) && hasContact) patch.status = 'qualified';
    else if (patch.qualification || hasContact) patch.status = 'qualifying';

    if (output.nextAction === 'escalate') {
      add({
        reason: 'other',
        priority: 'high',
        detail: `The assistant asked for a person (intent: ${output.intent})`,
      });
    }
    if (output.confidence < 0.3) {
      add({
        reason: 'low_confidence',
        priority: 'normal',
        detail: `Low confidence (${output.confidence}) on: "${context.trigger.content.slice(0, 200)}"`,
      });
    }
    const becomesHot =
      output.nextAction === 'transfer_hot_lead' ||
      (output.score >= config.hotLead.scoreAtLeast && context.lead?.temperature !== 'hot');
    if (becomesHot && config.hotLead.notify) {
      add({
        reason: 'hot_lead',
        priority: 'high',
        detail: `Lead scored ${Math.round(output.score)}: ${output.evidence.map((e) => e.reason).join('; ')}`.slice(
          0,
          500,
        ),
      });
    }
  }
  const metadata: AiMetadata = {
    provider: meta.provider,
    model: meta.model,
    inputTokens: meta.inputTokens,
    outputTokens: meta.outputTokens,
    cacheReadTokens: meta.cacheReadTokens,
    cacheWriteTokens: meta.cacheWriteTokens,
    confidence: output?.confidence,
    intent: output?.intent ?? route.intent,
    sentiment: output?.sentiment,
    language: route.language,
    entities: {
      route: routeEntity(route),
      ...(output ? { nextAction: output.nextAction, score: output.score, temperature: output.temperature } : {}),
      ...(output?.booking ? { booking: output.booking } : {}),
      structuredOutput: meta.structuredOutput,
      attempts: meta.attempts,
      ...(meta.fallbackFrom.length ? { fallbackFrom: meta.fallbackFrom } : {}),
      ...(meta.firstTokenMs !== undefined ? { firstTokenMs: meta.firstTokenMs } : {}),
      budgetStep: meta.budgetStep,
      ...(meta.variant ? { promptVariant: meta.variant } : {}),
    },
  };
  const result: ReplyResult = { quickReplies: [], leadUpdates: patch, escalation, metadata };
  AI_REPLY_DETAILS.set(result, { output, route, extraEscalations });
  return result;
}

export function routeEntity(route: Route) {
  return {
    source: route.source,
    urgency: route.urgency,
    intent: route.intent,
    escalate: route.escalate?.reason ?? null,
    matched: route.matched,
  };
}

/** Keeps only what the structured parsers found about the contact (safe after a partial reply). */
export function pickContact(patch: LeadPatch | undefined, language: string): LeadPatch {
  const out: LeadPatch = { language };
  if (patch?.email) out.email = patch.email;
  if (patch?.phone) out.phone = patch.phone;
  if (patch?.name) out.name = patch.name;
  return out;
}
