/**
 * The events a tenant's outgoing webhook endpoints can subscribe to (issue 15).
 * Kept free of zod so the dashboard can import the list without the schema
 * library. Names are facts in the past tense, `<resource>.<what happened>`.
 */
export const OUTGOING_WEBHOOK_EVENT_TYPES = [
  'lead.created',
  'lead.qualified',
  'lead.hot',
  'lead.status_changed',
  'booking.created',
  'booking.rescheduled',
  'booking.cancelled',
  'conversation.escalated',
  'conversation.taken_over',
  'message.created',
] as const;
export type OutgoingWebhookEventType = (typeof OUTGOING_WEBHOOK_EVENT_TYPES)[number];

/** Sent only by "send test event"; an endpoint does not subscribe to it. */
export const OUTGOING_WEBHOOK_TEST_EVENT = 'webhook.test';

export const OUTGOING_WEBHOOK_DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type OutgoingWebhookDeliveryStatus = (typeof OUTGOING_WEBHOOK_DELIVERY_STATUSES)[number];
