import type {
  Channel,
  HoursMode,
  LeadDto,
  LeadStatus,
  RuleConditions,
  RuleDto,
  RuleTrigger,
  RuleTriggerKind,
} from '@leaddesk/shared';
import type { Understanding } from '../../understanding/index.js';
import { fold } from '../../understanding/index.js';

/**
 * What happened, as the rules see it, and whether a rule's trigger matches
 * it. Pure: the engine builds the event from a domain event (or a timer that
 * came due) and asks each rule; a match names the trigger moment that makes
 * the firing unique.
 */
export type RuleEvent =
  | {
      type: 'visitor_message';
      messageId: string;
      content: string;
      channel: Channel;
    }
  | { type: 'lead_scored'; score: number | null }
  | { type: 'status_changed'; from: LeadStatus; to: LeadStatus; at: string }
  | {
      type: 'booking_changed';
      bookingId: string;
      change: 'created' | 'rescheduled' | 'cancelled';
      startsAt: string;
    }
  /** A timer came due and its re-check held: no staff reply since the escalation or takeover `moment`. */
  | { type: 'no_staff_reply_due'; ruleId: string; moment: string }
  | { type: 'lead_silent_due'; ruleId: string; moment: string };

/** The trigger kinds each event can fire (the engine loads only those rules). */
export function triggerKindsFor(event: RuleEvent): RuleTriggerKind[] {
  switch (event.type) {
    case 'visitor_message':
      return ['intent_detected', 'urgency_detected', 'keyword', 'message_after_hours', 'channel_message'];
    case 'lead_scored':
      return ['score_crossed'];
    case 'status_changed':
      return ['status_changed'];
    case 'booking_changed':
      return ['booking_changed'];
    case 'no_staff_reply_due':
      return ['no_staff_reply'];
    case 'lead_silent_due':
      return ['lead_silent'];
  }
}

/** Facts the trigger and the conditions read besides the event. */
export interface RuleFacts {
  hoursMode: HoursMode;
  channel: Channel | null;
  lead: LeadDto | null;
  /** The lead's language, or the message's as read. */
  language: () => string | null;
  /** The visitor message as read in six languages; lazily, only rules on intent or urgency need it. */
  understanding: () => Understanding | null;
}

/**
 * The trigger moment when `trigger` matches `event`, else null. Two events
 * with the same moment are the same firing.
 */
export function matchTrigger(rule: RuleDto, event: RuleEvent, facts: RuleFacts): string | null {
  const trigger: RuleTrigger = rule.trigger;
  switch (trigger.kind) {
    case 'keyword':
      if (event.type !== 'visitor_message') return null;
      return containsKeyword(event.content, trigger.keywords) ? `msg:${event.messageId}` : null;
    case 'intent_detected': {
      const u = event.type === 'visitor_message' ? facts.understanding() : null;
      if (!u || event.type !== 'visitor_message') return null;
      return trigger.intents.some((i) => u.intents.includes(i)) ? `msg:${event.messageId}` : null;
    }
    case 'urgency_detected': {
      const u = event.type === 'visitor_message' ? facts.understanding() : null;
      if (!u || event.type !== 'visitor_message') return null;
      const level = u.emergency ? 'high' : u.urgency;
      return level && trigger.levels.includes(level) ? `msg:${event.messageId}` : null;
    }
    case 'message_after_hours':
      if (event.type !== 'visitor_message') return null;
      return facts.hoursMode === 'in_hours' ? null : `msg:${event.messageId}`;
    case 'channel_message':
      if (event.type !== 'visitor_message') return null;
      return trigger.channels.includes(event.channel) ? `msg:${event.messageId}` : null;
    case 'score_crossed':
      // Once per lead: the first time its score reaches the threshold.
      if (event.type !== 'lead_scored' || event.score === null) return null;
      return event.score >= trigger.above ? `score:${trigger.above}` : null;
    case 'status_changed':
      if (event.type !== 'status_changed') return null;
      if (trigger.to.length && !trigger.to.includes(event.to)) return null;
      return `status:${event.from}>${event.to}@${event.at}`;
    case 'booking_changed':
      if (event.type !== 'booking_changed' || !trigger.changes.includes(event.change)) return null;
      return `booking:${event.bookingId}:${event.change}:${event.startsAt}`;
    case 'no_staff_reply':
      return event.type === 'no_staff_reply_due' && event.ruleId === rule.id ? `nsr:${event.moment}` : null;
    case 'lead_silent':
      return event.type === 'lead_silent_due' && event.ruleId === rule.id ? `silent:${event.moment}` : null;
  }
}

export function conditionsHold(conditions: RuleConditions, facts: RuleFacts): boolean {
  if (conditions.hours && !conditions.hours.includes(facts.hoursMode)) return false;
  if (conditions.channels && (!facts.channel || !conditions.channels.includes(facts.channel))) return false;
  if (conditions.temperatures && !conditions.temperatures.includes(facts.lead?.temperature ?? 'unscored')) return false;
  if (conditions.services) {
    const interest = fold(facts.lead?.qualification.serviceInterest ?? '');
    if (!interest || !conditions.services.some((s) => interest.includes(fold(s)))) return false;
  }
  if (conditions.languages) {
    const language = (facts.language() ?? '').slice(0, 2).toLowerCase();
    if (!conditions.languages.some((l) => l.slice(0, 2).toLowerCase() === language)) return false;
  }
  return true;
}

/**
 * A keyword matches at the start of a word, without case or accents, in any
 * script: "urgent" finds "URGENT" and "urgently", "urgência" finds "urgencia".
 */
export function containsKeyword(text: string, keywords: readonly string[]): boolean {
  const folded = fold(text);
  return keywords.some((k) => {
    const key = fold(k).trim();
    if (!key) return false;
    let from = 0;
    for (;;) {
      const at = folded.indexOf(key, from);
      if (at < 0) return false;
      const before = at === 0 ? '' : (folded[at - 1] ?? '');
      if (!/[\p{L}\p{N}]/u.test(before)) return true;
      from = at + 1;
    }
  });
}
