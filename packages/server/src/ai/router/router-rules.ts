import type { ClientConfig, EscalationPriority, EscalationReason } from '@leaddesk/shared';
import { fold } from '../../understanding/fold.js';
import type { Understanding } from '../../understanding/types.js';

/**
 * When a message goes to staff, decided on the understanding module's reading
 * (the same one the structured mode uses), in the tenant's order of rules:
 * a request for a person, a complaint, the tenant's own keywords, an
 * emergency or urgent words, then a conversation that never ends.
 */
export interface Escalation {
  reason: EscalationReason;
  priority: EscalationPriority;
  detail: string;
}

export interface EscalationInput {
  text: string;
  understanding: Understanding;
  config: Pick<ClientConfig, 'escalation'>;
  historyLength: number;
  /** Messages after which a conversation is handed to staff. @default 40 */
  longConversation?: number;
}

/** The tenant's escalation keyword found in the message, matched on folded text. */
export function escalationKeyword(text: string, keywords: readonly string[]): string | undefined {
  const folded = fold(text);
  return keywords.find((k) => k.trim() && folded.includes(fold(k)));
}

/** Pain, or words that say it is urgent: a date of tomorrow is urgent for the lead but no alarm for staff. */
export function isAlarming(u: Understanding): boolean {
  if (u.emergency) return true;
  const words = u.evidence.find((e) => e.field === 'urgency')?.text;
  return u.urgency === 'high' && words !== undefined && words !== u.date?.text;
}

export function escalationFor(input: EscalationInput): Escalation | null {
  const { understanding: u, config } = input;
  const snippet = input.text.slice(0, 300);
  const keyword = escalationKeyword(input.text, config.escalation.keywords);
  if (u.intents.includes('human_request') && config.escalation.onHumanRequest) {
    return { reason: 'visitor_request', priority: 'high', detail: `Visitor asked for a person: "${snippet}"` };
  }
  if (u.intents.includes('complaint'))
    return { reason: 'complaint', priority: 'high', detail: `Complaint: "${snippet}"` };
  if (keyword)
    return { reason: 'keyword', priority: 'high', detail: `Escalation keyword "${keyword}" in: "${snippet}"` };
  if (isAlarming(u)) return { reason: 'urgent', priority: 'urgent', detail: `Urgent: "${snippet}"` };
  if (input.historyLength >= (input.longConversation ?? 40)) {
    return {
      reason: 'other',
      priority: 'normal',
      detail: `Long conversation (${input.historyLength} messages) without a resolution`,
    };
  }
  return null;
}
