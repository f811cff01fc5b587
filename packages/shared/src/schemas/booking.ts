import { z } from 'zod';
import type { SecretHint } from './channel-settings.js';

/**
 * Appointment booking (Cal.com API v2, per tenant). Design note: like the
 * channel credentials, the API key and the webhook secret go in and never come
 * out; responses say whether each is set and its last four characters.
 * Bookings are rows of our own (one per booking request, unique per request
 * key) that mirror the calendar's booking by its uid.
 */

const secret = z.string().trim().min(4).max(1000);

export const calcomEventTypeSchema = z.object({
  /** A service name from the client's configuration ('' or absent: the default event type). */
  service: z.string().trim().min(1).max(200),
  eventTypeId: z.number().int().positive(),
});

export const calcomSettingsSchema = z.object({
  /** Omit to keep the stored key. */
  apiKey: secret.optional(),
  /** The secret Cal.com signs its webhooks with; `null` removes it (webhooks are then refused). */
  webhookSecret: secret.nullable().optional(),
  /** Event type used when a service has none of its own. */
  defaultEventTypeId: z.number().int().positive(),
  eventTypes: z.array(calcomEventTypeSchema).max(100).default([]),
  /** How far ahead slots are offered. */
  bookingWindowDays: z.number().int().min(1).max(90).default(14),
  /** No slot offered that starts sooner than this after now. */
  bufferMinutes: z.number().int().min(0).max(10_080).default(60),
});
export type CalcomSettingsInput = z.input<typeof calcomSettingsSchema>;

export type CalcomSettingsView =
  | {
      configured: true;
      apiKey: SecretHint;
      webhookSecret: SecretHint;
      defaultEventTypeId: number;
      eventTypes: Array<z.infer<typeof calcomEventTypeSchema>>;
      bookingWindowDays: number;
      bufferMinutes: number;
      /** Paste into Cal.com → Settings → Developer → Webhooks. */
      webhookUrl: string;
    }
  | { configured: false; webhookUrl: string };

export interface CalcomConnectionTest {
  ok: boolean;
  /** The Cal.com account the key belongs to, when it worked. */
  account?: { email?: string; username?: string; timeZone?: string };
  message: string;
}

export const BOOKING_STATUSES = ['pending', 'booked', 'cancelled', 'failed'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];
export const BOOKING_ACTORS = ['lead', 'staff', 'calendar'] as const;

export const bookingSchema = z.object({
  id: z.string().uuid(),
  leadId: z.string().uuid().nullable(),
  conversationId: z.string().uuid().nullable(),
  service: z.string().nullable(),
  eventTypeId: z.number().int(),
  startsAt: z.string(),
  endsAt: z.string().nullable(),
  status: z.enum(BOOKING_STATUSES),
  calendarUid: z.string().nullable(),
  createdBy: z.enum(BOOKING_ACTORS),
  createdAt: z.string(),
});
export type BookingDto = z.infer<typeof bookingSchema>;

export interface BookingSlot {
  start: string;
  end: string | null;
}

export const bookingSlotsQuerySchema = z.object({
  service: z.string().trim().min(1).max(200).optional(),
});

/** Staff book for a lead from its page: a slot start (ISO with offset), for a service. */
export const staffCreateBookingSchema = z.object({
  start: z.string().datetime({ offset: true }),
  service: z.string().trim().min(1).max(200).optional(),
  /** Same key twice → one booking (a double click, a retried request). */
  requestKey: z.string().trim().min(8).max(100).optional(),
});
export const staffRescheduleBookingSchema = z.object({ start: z.string().datetime({ offset: true }) });
export const staffCancelBookingSchema = z.object({ reason: z.string().trim().max(500).optional() });
