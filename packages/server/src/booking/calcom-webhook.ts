import { randomUUID } from 'node:crypto';
import express, { Router } from 'express';
import { z } from 'zod';
import { findClientBySlugOrId } from '../channels/find-client.js';
import { AppError } from '../errors/app-error.js';
import { requireEm } from '../http/api-key-auth.js';
import { route } from '../http/async-handler.js';
import { normalizeEmail, normalizePhone } from '../leads/normalize-contact.js';
import type { BookingService } from './booking-service.js';
import { type BookingRow, findBookingForCalendar, insertPendingBooking } from './booking-store.js';
import { bookingLanguage, longWhen } from './booking-texts.js';
import { verifyCalcomSignature } from './calcom/verify-signature.js';

/**
 * `POST /webhooks/calcom?client=<slug>`: Cal.com's booking webhooks
 * (BOOKING_CREATED, BOOKING_RESCHEDULED, BOOKING_CANCELLED), whoever booked
 * (the lead here, staff, or someone on Cal.com itself). The signature
 * (`X-Cal-Signature-256`, HMAC-SHA256 of the raw body with the tenant's
 * webhook secret) is checked before anything is read; a bad one stores
 * nothing. Processing is a few row updates, done before answering: a
 * delivery that fails is retried by Cal.com, and a redelivery changes nothing
 * (each change compares with the stored row first).
 */
const webhookSchema = z.object({
  triggerEvent: z.string().max(100),
  payload: z
    .object({
      uid: z.string().max(200).optional(),
      startTime: z.string().max(100).optional(),
      endTime: z.string().max(100).optional(),
      rescheduleUid: z.string().max(200).optional(),
      rescheduledFromUid: z.string().max(200).optional(),
      metadata: z.record(z.string(), z.unknown()).optional(),
      attendees: z
        .array(
          z.object({
            email: z.string().max(254).optional(),
            name: z.string().max(200).optional(),
            phoneNumber: z.string().max(40).nullable().optional(),
          }),
        )
        .max(50)
        .optional(),
      eventTypeId: z.number().int().nullable().optional(),
      type: z.string().max(200).optional(),
    })
    .passthrough(),
});

export function calcomWebhookRoutes(service: BookingService, options: { bodyLimit: string | number }): Router {
  const router = Router();
  router.post(
    '/webhooks/calcom',
    express.raw({ type: () => true, limit: options.bodyLimit }),
    route(async (req, res) => {
      const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const ref = typeof req.query.client === 'string' ? req.query.client : undefined;
      const client = await findClientBySlugOrId(requireEm(req), ref);
      if (!client) throw new AppError('invalid_signature', 'unknown client in webhook URL');
      const secret = (await service.settings(client.id))?.webhookSecret;
      if (!secret) throw new AppError('invalid_signature', 'no Cal.com webhook secret is configured for this client');
      if (!verifyCalcomSignature(raw, req.get('x-cal-signature-256'), secret)) {
        throw new AppError('invalid_signature', 'X-Cal-Signature-256 is missing or does not match');
      }
      let parsed: z.infer<typeof webhookSchema>;
      try {
        parsed = webhookSchema.parse(JSON.parse(raw.toString('utf8')));
      } catch {
        throw new AppError('validation_failed', 'not a Cal.com webhook payload');
      }
      const applied = await applyCalendarEvent(service, client.id, parsed);
      res.status(200).json({ ok: true, applied });
    }),
  );
  return router;
}

async function applyCalendarEvent(
  service: BookingService,
  clientId: string,
  event: z.infer<typeof webhookSchema>,
): Promise<string> {
  const p = event.payload;
  const ourId = typeof p.metadata?.leaddeskBookingId === 'string' ? p.metadata.leaddeskBookingId : undefined;
  const uids = [p.uid, p.rescheduleUid, p.rescheduledFromUid].filter((u): u is string => Boolean(u));
  const found = await findBookingForCalendar(service.sql, clientId, uids, ourId);
  const start = p.startTime && !Number.isNaN(Date.parse(p.startTime)) ? new Date(p.startTime).toISOString() : null;
  const end = p.endTime && !Number.isNaN(Date.parse(p.endTime)) ? new Date(p.endTime).toISOString() : null;

  switch (event.triggerEvent) {
    case 'BOOKING_CREATED': {
      if (!p.uid || !start) return 'ignored';
      if (found) {
        // Ours. Still pending: the request that made it died after Cal.com booked (or is committing now);
        // whichever of the two settles it first announces it, once.
        const settled = await service.commitChangeIf(
          clientId,
          found.id,
          'created',
          found.created_by,
          { status: 'booked', calendar_uid: p.uid, startsAt: start, endsAt: end },
          'pending',
        );
        return settled ? 'created' : 'ignored';
      }
      const leadId = await leadForAttendees(service, clientId, p.attendees ?? []);
      if (!leadId) return 'ignored';
      const row = await insertPendingBooking(service.sql, {
        id: randomUUID(),
        clientId,
        leadId,
        conversationId: await service.latestConversation(clientId, leadId),
        requestKey: `calcom:${p.uid}`,
        eventTypeId: p.eventTypeId ?? 0,
        service: p.type ?? null,
        startsAt: start,
        endsAt: end,
        createdBy: 'calendar',
        language: null,
        calendarUid: p.uid,
      });
      if (!row) return 'ignored';
      const booked = await service.commitChange(clientId, row.id, 'created', 'calendar', { status: 'booked' });
      await timeline(service, booked, 'booked');
      return 'created';
    }
    case 'BOOKING_RESCHEDULED': {
      if (!found || !start || found.status !== 'booked') return 'ignored';
      const same = new Date(found.starts_at).toISOString() === start && (!p.uid || found.calendar_uid === p.uid);
      if (same) return 'unchanged';
      const moved = await service.commitChange(clientId, found.id, 'rescheduled', 'calendar', {
        calendar_uid: p.uid ?? found.calendar_uid,
        startsAt: start,
        endsAt: end,
      });
      await timeline(service, moved, 'moved');
      return 'rescheduled';
    }
    case 'BOOKING_CANCELLED': {
      if (!found || found.status !== 'booked') return 'ignored';
      // A reschedule cancels the old uid too: only the current uid cancels the booking.
      if (p.uid && found.calendar_uid && p.uid !== found.calendar_uid) return 'ignored';
      const cancelled = await service.commitChange(clientId, found.id, 'cancelled', 'calendar', {
        status: 'cancelled',
      });
      await timeline(service, cancelled, 'cancelled');
      return 'cancelled';
    }
    default:
      return 'ignored';
  }
}

/** The client's lead with an attendee's email or phone (Cal.com bookings made outside Lead Desk). */
async function leadForAttendees(
  service: BookingService,
  clientId: string,
  attendees: Array<{ email?: string; phoneNumber?: string | null }>,
): Promise<string | null> {
  for (const a of attendees) {
    const email = normalizeEmail(a.email);
    const phone = normalizePhone(a.phoneNumber ?? undefined);
    if (!email && !phone) continue;
    const rows = await service.sql.query<Array<{ id: string }>>(
      'select id from leads where client_id = ? and (email = ? or phone = ?) limit 1',
      [clientId, email ?? null, phone ?? null],
    );
    if (rows[0]) return rows[0].id;
  }
  return null;
}

/** A staff-only line in the booking's conversation: what the calendar changed. */
async function timeline(service: BookingService, row: BookingRow, what: 'booked' | 'moved' | 'cancelled') {
  if (!row.conversation_id) return;
  const tenant = await service.tenant(row.client_id);
  const when = longWhen(new Date(row.starts_at).toISOString(), tenant.timezone, bookingLanguage(tenant.locale));
  await service.note(row.client_id, row.conversation_id, `Cal.com: appointment ${what} (${when})`);
}
