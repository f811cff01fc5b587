import { z } from 'zod';
import {
  OUTGOING_WEBHOOK_EVENT_TYPES,
  type OutgoingWebhookDeliveryStatus,
  type OutgoingWebhookEventType,
} from '../outgoing-webhook-events.js';
import type { SecretHint } from './channel-settings.js';

/**
 * A tenant's outgoing webhook endpoints (`/api/v1/webhook-endpoints`).
 * Design note: the signing secret (`whsec_…`, Standard Webhooks) is generated
 * by the server, shown once in the answer of create and rotate, and stored
 * encrypted; every other answer shows only its last four characters. Whether
 * an address may be private or plain http is the operator's setting, checked
 * by the server (the schema only checks the shape).
 */
export const webhookEndpointUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .url('a full URL such as https://example.com/hooks/leaddesk')
  .refine((u) => /^https?:\/\//i.test(u), 'an http(s) URL');

export const createWebhookEndpointSchema = z.object({
  url: webhookEndpointUrlSchema,
  description: z.string().trim().max(200).default(''),
  events: z.array(z.enum(OUTGOING_WEBHOOK_EVENT_TYPES)).min(1, 'subscribe to at least one event').max(50),
});
export type CreateWebhookEndpointInput = z.input<typeof createWebhookEndpointSchema>;

/** PATCH is a JSON Merge Patch of these fields; `enabled: true` re-enables an auto-disabled endpoint. */
export const updateWebhookEndpointSchema = createWebhookEndpointSchema.extend({ enabled: z.boolean() });
export type UpdateWebhookEndpointInput = Partial<z.input<typeof updateWebhookEndpointSchema>>;

export const listWebhookDeliveriesQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export interface WebhookEndpointView {
  id: string;
  url: string;
  description: string;
  events: OutgoingWebhookEventType[];
  enabled: boolean;
  /** Why it was turned off (auto-disabled after its failures, or by staff). */
  disabledReason: string | null;
  disabledAt: string | null;
  secret: SecretHint;
  createdAt: string;
  updatedAt: string;
}

/** The answer of create and rotate: the only time the secret is shown. */
export interface WebhookEndpointWithSecret {
  endpoint: WebhookEndpointView;
  secret: string;
}

export interface WebhookAttemptView {
  attempt: number;
  startedAt: string;
  durationMs: number;
  statusCode: number | null;
  /** The first characters of the receiver's answer. */
  responseExcerpt: string;
  error: string | null;
  succeeded: boolean;
}

export interface WebhookDeliveryView {
  id: string;
  endpointId: string;
  /** The `webhook-id` header: the same for every attempt and replay of this event. */
  messageId: string;
  eventType: string;
  status: OutgoingWebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  /** The signed body as sent. */
  payload: unknown;
  attemptLog: WebhookAttemptView[];
}
