/**
 * Domain enums shared by every package. Each is a readonly tuple so that zod
 * schemas, database enums and TypeScript unions come from one list.
 */

export const CHANNELS = ['web', 'web_form', 'whatsapp', 'sms', 'email', 'voice'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Channels a plan may include or not: those a tenant connects with its own provider account. Web chat, web forms and email come with every plan. */
export const PLAN_CHANNELS = ['whatsapp', 'sms', 'voice'] as const satisfies readonly Channel[];
export type PlanChannel = (typeof PLAN_CHANNELS)[number];

export const PLANS = ['starter', 'growth', 'scale'] as const;
export type Plan = (typeof PLANS)[number];

/** Monthly AI token budget per plan. */
export const PLAN_TOKEN_BUDGETS: Record<Plan, number> = {
  starter: 500_000,
  growth: 1_000_000,
  scale: 2_000_000,
};

export const CLIENT_STATUSES = ['active', 'paused'] as const;
export type ClientStatus = (typeof CLIENT_STATUSES)[number];

export const INDUSTRIES = ['dental', 'hotel', 'real_estate', 'other'] as const;
export type Industry = (typeof INDUSTRIES)[number];

export const ROLES = ['super_admin', 'admin', 'manager', 'agent', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const LEAD_TEMPERATURES = ['hot', 'warm', 'cold', 'unscored'] as const;
export type LeadTemperature = (typeof LEAD_TEMPERATURES)[number];

export const CONVERSATION_STATUSES = ['active', 'escalated', 'ended'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

export const CONVERSATION_MODES = ['ai', 'human'] as const;
export type ConversationMode = (typeof CONVERSATION_MODES)[number];

export const MESSAGE_ROLES = ['visitor', 'ai', 'staff', 'system', 'note'] as const;
export type MessageRole = (typeof MESSAGE_ROLES)[number];

export const DELIVERY_STATES = ['pending', 'sent', 'delivered', 'read', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export const ESCALATION_REASONS = [
  'visitor_request',
  'hot_lead',
  'complaint',
  'urgent',
  'low_confidence',
  'ai_failure',
  'budget_exhausted',
  'keyword',
  'no_staff_reply',
  'other',
] as const;
export type EscalationReason = (typeof ESCALATION_REASONS)[number];

export const ESCALATION_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type EscalationPriority = (typeof ESCALATION_PRIORITIES)[number];

export const ESCALATION_STATUSES = ['pending', 'acknowledged', 'resolved'] as const;
export type EscalationStatus = (typeof ESCALATION_STATUSES)[number];

export const PERSONALITY_PRESETS = [
  'luxury_concierge',
  'fast_direct',
  'friendly_casual',
  'sales_aggressive',
  'custom',
] as const;
export type PersonalityPreset = (typeof PERSONALITY_PRESETS)[number];

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Answer types of an intake (qualification) question. */
export const QUESTION_TYPES = ['multiple_choice', 'free_text', 'yes_no', 'date'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** Inbox filters of the dashboard (`GET /inbox`). */
export const INBOX_FILTERS = ['all', 'mine', 'active', 'escalated', 'human', 'ended'] as const;
export type InboxFilter = (typeof INBOX_FILTERS)[number];

/** What a conversation's staff-only history records besides messages and escalations. */
export const CONVERSATION_EVENT_KINDS = [
  'takeover',
  'handback',
  'assigned',
  'unassigned',
  // Follow-up sequences and review requests (issue 14): `detail` says which step, or why it stopped.
  'follow_up_sent',
  'follow_up_stopped',
  'follow_up_skipped',
  'review_requested',
] as const;
export type ConversationEventKind = (typeof CONVERSATION_EVENT_KINDS)[number];

/** Languages the product understands and answers in without an AI provider (the structured mode). */
export const CONTENT_LANGUAGES = ['en', 'es', 'fr', 'de', 'pt', 'it'] as const;
export type ContentLanguage = (typeof CONTENT_LANGUAGES)[number];

/** What a lead's message is about, in any language (the understanding module). */
export const LEAD_INTENTS = [
  'booking',
  'reschedule',
  'cancellation',
  'pricing',
  'information',
  'complaint',
  'human_request',
  'other',
] as const;
export type LeadIntent = (typeof LEAD_INTENTS)[number];
