import { z } from 'zod';
import { CHANNELS, ESCALATION_PRIORITIES, LEAD_INTENTS, LEAD_TEMPERATURES } from '../enums.js';
import { LEAD_STATUSES } from '../lead-status.js';
import { HOURS_MODES } from './business-hours.js';

/**
 * Automation rules (issue 14): a trigger, conditions and actions, per tenant.
 *
 * Design note: a rule fires at most once per (rule, lead or conversation,
 * trigger moment): the moment is the message, escalation, status change or
 * booking change that caused it, so the same event seen twice (two
 * processes, a redelivery, a restart) fires once. Timed triggers (no staff
 * reply, lead silent) are delayed jobs re-checked when they run.
 */

export const RULE_TRIGGER_KINDS = [
  'score_crossed',
  'intent_detected',
  'urgency_detected',
  'keyword',
  'no_staff_reply',
  'lead_silent',
  'status_changed',
  'booking_changed',
  'message_after_hours',
  'channel_message',
] as const;
export type RuleTriggerKind = (typeof RULE_TRIGGER_KINDS)[number];

const minutes = z.number().int().min(1).max(10_080);

export const ruleTriggerSchema = z.discriminatedUnion('kind', [
  /** The lead's score reaches `above` or more (once per lead). */
  z.object({ kind: z.literal('score_crossed'), above: z.number().int().min(0).max(100) }),
  /** A visitor message with one of these intents (read in six languages). */
  z.object({ kind: z.literal('intent_detected'), intents: z.array(z.enum(LEAD_INTENTS)).min(1) }),
  /** A visitor message whose urgency is one of `levels`; an emergency (pain, bleeding) counts as high. */
  z.object({
    kind: z.literal('urgency_detected'),
    levels: z
      .array(z.enum(['high', 'medium', 'low']))
      .min(1)
      .default(['high']),
  }),
  /** Any of the words in a visitor message, compared without case or accents, at the start of a word. */
  z.object({ kind: z.literal('keyword'), keywords: z.array(z.string().trim().min(1).max(100)).min(1).max(50) }),
  /**
   * No staff message within `minutes` of an escalation or a takeover.
   * `minutesAfterHours` applies when the escalation came outside business hours;
   * `businessMinutes` counts only the minutes the business is open.
   */
  z.object({
    kind: z.literal('no_staff_reply'),
    minutes,
    minutesAfterHours: minutes.optional(),
    businessMinutes: z.boolean().default(false),
    after: z
      .array(z.enum(['escalation', 'takeover']))
      .min(1)
      .default(['escalation', 'takeover']),
  }),
  /** The lead has not written for `hours` after their last message. */
  z.object({ kind: z.literal('lead_silent'), hours: z.number().min(0.05).max(2160) }),
  /** The lead's status moved (to one of `to`, when given). */
  z.object({
    kind: z.literal('status_changed'),
    to: z.array(z.enum(LEAD_STATUSES)).default([]),
  }),
  z.object({
    kind: z.literal('booking_changed'),
    changes: z
      .array(z.enum(['created', 'rescheduled', 'cancelled']))
      .min(1)
      .default(['created', 'cancelled']),
  }),
  /** A visitor message that arrives while the business is closed. */
  z.object({ kind: z.literal('message_after_hours') }),
  /** A visitor message on one of these channels. */
  z.object({ kind: z.literal('channel_message'), channels: z.array(z.enum(CHANNELS)).min(1) }),
]);
export type RuleTrigger = z.infer<typeof ruleTriggerSchema>;

/** Every given condition must hold (an absent one always holds); inside one, any value matches. */
export const ruleConditionsSchema = z.object({
  hours: z.array(z.enum(HOURS_MODES)).min(1).optional(),
  channels: z.array(z.enum(CHANNELS)).min(1).optional(),
  temperatures: z.array(z.enum(LEAD_TEMPERATURES)).min(1).optional(),
  /** Matched against the lead's service interest, without case. */
  services: z.array(z.string().trim().min(1).max(200)).min(1).optional(),
  /** Language codes (en, es, fr, de, pt, it...). */
  languages: z.array(z.string().trim().min(2).max(16)).min(1).optional(),
});
export type RuleConditions = z.infer<typeof ruleConditionsSchema>;

export const NOTIFY_VIAS = ['email', 'desktop', 'whatsapp', 'sms'] as const;
const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'expected an E.164 number (+15551234567)');

export const ruleActionSchema = z.discriminatedUnion('type', [
  /**
   * Tells staff: email and desktop go to `to` (managers and admins, every
   * staff member, or the conversation's assignee); WhatsApp and SMS go to the
   * on-call number.
   */
  z
    .object({
      type: z.literal('notify_staff'),
      via: z.array(z.enum(NOTIFY_VIAS)).min(1),
      to: z.enum(['managers', 'all_staff', 'assignee']).default('managers'),
      onCallNumber: e164.optional(),
      /** Added to the notification. */
      message: z.string().max(500).optional(),
    })
    .refine((a) => !(a.via.includes('sms') || a.via.includes('whatsapp')) || a.onCallNumber, {
      message: 'WhatsApp and SMS notifications need an on-call number',
      path: ['onCallNumber'],
    }),
  z.object({ type: z.literal('escalate'), priority: z.enum(ESCALATION_PRIORITIES).default('high') }),
  /** Round robin among the staff online now (dashboard open), or a named person. */
  z
    .object({
      type: z.literal('assign'),
      strategy: z.enum(['round_robin', 'user']),
      userId: z.string().uuid().optional(),
    })
    .refine((a) => a.strategy !== 'user' || a.userId, { message: 'name the person to assign', path: ['userId'] }),
  /** Sent on the lead's channel (WhatsApp outside its 24-hour window: the approved template). */
  z.object({ type: z.literal('send_message'), text: z.string().trim().min(1).max(2000) }),
  z.object({ type: z.literal('start_sequence'), key: z.string().max(64).optional() }),
  z.object({ type: z.literal('stop_sequence'), reason: z.string().max(200).default('rule') }),
  z.object({ type: z.literal('set_status'), status: z.enum(LEAD_STATUSES) }),
  z.object({ type: z.literal('add_tag'), tag: z.string().trim().min(1).max(50) }),
]);
export type RuleAction = z.infer<typeof ruleActionSchema>;
export type RuleActionType = RuleAction['type'];

/** What a caller sends to create a rule (and what a merge patch must leave valid). */
export const ruleInputSchema = z.object({
  name: z.string().trim().min(1).max(120),
  enabled: z.boolean().default(true),
  trigger: ruleTriggerSchema,
  conditions: ruleConditionsSchema.default({}),
  actions: z.array(ruleActionSchema).min(1).max(10),
});
export type RuleInput = z.input<typeof ruleInputSchema>;

export const ruleSchema = ruleInputSchema.extend({
  id: z.string().uuid(),
  /** `template`: shipped by the industry template (editable like any other). */
  source: z.enum(['template', 'custom']),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type RuleDto = z.infer<typeof ruleSchema>;

export const ruleActionOutcomeSchema = z.object({
  type: z.string(),
  outcome: z.enum(['done', 'skipped', 'failed']),
  detail: z.string(),
});
export type RuleActionOutcome = z.infer<typeof ruleActionOutcomeSchema>;

/** One firing of a rule: when, for which lead, and what was done. */
export const ruleFiringSchema = z.object({
  id: z.string().uuid(),
  ruleId: z.string().uuid(),
  ruleName: z.string(),
  trigger: z.enum(RULE_TRIGGER_KINDS),
  leadId: z.string().uuid().nullable(),
  conversationId: z.string().uuid().nullable(),
  /** The business-hours mode when it fired. */
  hoursMode: z.enum(HOURS_MODES),
  firedAt: z.string(),
  actions: z.array(ruleActionOutcomeSchema),
});
export type RuleFiringDto = z.infer<typeof ruleFiringSchema>;

export const listFiringsQuerySchema = z.object({
  ruleId: z.string().uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
