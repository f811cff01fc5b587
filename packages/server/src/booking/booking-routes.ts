import {
  bookingSchema,
  bookingSlotsQuerySchema,
  calcomSettingsSchema,
  staffCancelBookingSchema,
  staffCreateBookingSchema,
  staffRescheduleBookingSchema,
} from '@leaddesk/shared';
import { type Request, Router } from 'express';
import { lastFour } from '../channels/settings/channel-settings.js';
import { requireSecretBox, type SecretBox } from '../channels/settings/secret-box.js';
import { AppError } from '../errors/app-error.js';
import { parseInput } from '../errors/validate.js';
import { requireClient } from '../http/api-key-auth.js';
import { route } from '../http/async-handler.js';
import { requirePermission } from '../http/authenticate.js';
import { mergePatch, requirePatchObject } from '../http/merge-patch.js';
import type { OpenApiRegistry } from '../http/openapi.js';
import { parseId } from '../http/routes/leads.js';
import { type BookingService, bookingLanguage, bookingTexts } from './booking-service.js';
import { bookingRowToDto, findBooking, listLeadBookings } from './booking-store.js';
import { CalcomClient, CalcomError } from './calcom/calcom-client.js';
import { calcomSettingsView, eventTypesOf, readCalcomRow, writeCalcomRow } from './calcom-settings-store.js';

/**
 * `/api/v1/integrations/calcom` (the tenant's Cal.com connection: the key and
 * webhook secret go in, only "set" and their last 4 characters come out) and
 * the staff's booking actions on a lead's page (`/leads/:id/bookings`,
 * `/bookings/:id/reschedule`, `/bookings/:id/cancel`). Every query is scoped
 * by the caller's client: another tenant's lead or booking is "not found".
 */
export function bookingRoutes(
  openapi: OpenApiRegistry,
  service: BookingService,
  options: { box: SecretBox | null; calcomBaseUrl: string; publicUrl?: string },
): Router {
  const router = Router();
  const { sql } = service;
  const webhookUrl = (req: Request) => {
    const base = options.publicUrl ?? `${req.protocol}://${req.get('host')}`;
    return `${base}/webhooks/calcom?client=${encodeURIComponent(requireClient(req).slug)}`;
  };

  openapi.add({ method: 'get', path: '/integrations/calcom', summary: 'Cal.com connection', tag: 'integrations' });
  router.get(
    '/integrations/calcom',
    requirePermission('client:read'),
    route(async (req, res) => {
      res.json(calcomSettingsView(await readCalcomRow(sql, requireClient(req).id), webhookUrl(req)));
    }),
  );

  openapi.add({
    method: 'patch',
    path: '/integrations/calcom',
    summary: 'Connect Cal.com (API key, event type per service, booking window, buffer)',
    tag: 'integrations',
    body: calcomSettingsSchema,
    mergePatch: true,
  });
  router.patch(
    '/integrations/calcom',
    requirePermission('client:update'),
    route(async (req, res) => {
      const sealer = requireSecretBox(options.box);
      const patch = requirePatchObject(req.body);
      const clientId = requireClient(req).id;
      // Read-modify-write under the row lock: two saves at once keep both.
      const row = await sql.transaction(async (tx) => {
        const old = await readCalcomRow(tx, clientId, true);
        const stored = old
          ? {
              defaultEventTypeId: Number(old.default_event_type_id),
              eventTypes: eventTypesOf(old),
              bookingWindowDays: Number(old.booking_window_days),
              bufferMinutes: Number(old.buffer_minutes),
            }
          : {};
        const body = mergePatch(calcomSettingsSchema, stored, patch, { writeOnly: ['apiKey', 'webhookSecret'] });
        if (!body.apiKey && !old) throw new AppError('validation_failed', 'invalid body: apiKey: required');
        const secret = body.webhookSecret;
        const next = {
          client_id: clientId,
          api_key: body.apiKey ? sealer.seal(body.apiKey) : (old?.api_key as string),
          api_key_last4: body.apiKey ? lastFour(body.apiKey) : (old?.api_key_last4 as string),
          webhook_secret: secret ? sealer.seal(secret) : secret === null ? null : (old?.webhook_secret ?? null),
          webhook_secret_last4: secret
            ? lastFour(secret)
            : secret === null
              ? null
              : (old?.webhook_secret_last4 ?? null),
          default_event_type_id: body.defaultEventTypeId,
          event_types: body.eventTypes,
          booking_window_days: body.bookingWindowDays,
          buffer_minutes: body.bufferMinutes,
        };
        await writeCalcomRow(tx, next);
        return readCalcomRow(tx, clientId);
      });
      res.json(calcomSettingsView(row, webhookUrl(req)));
    }),
  );

  openapi.add({
    method: 'post',
    path: '/integrations/calcom/test',
    summary: 'Test the Cal.com connection (the stored key, or one sent to try before saving)',
    tag: 'integrations',
  });
  router.post(
    '/integrations/calcom/test',
    requirePermission('client:update'),
    route(async (req, res) => {
      const sent =
        typeof req.body?.apiKey === 'string' && req.body.apiKey.trim().length >= 4 ? req.body.apiKey.trim() : null;
      const apiKey = sent ?? (await service.settings(requireClient(req).id))?.apiKey;
      if (!apiKey) throw new AppError('validation_failed', 'Cal.com is not connected: send an apiKey');
      try {
        const me = await new CalcomClient({ baseUrl: options.calcomBaseUrl, apiKey, timeoutMs: 8000 }).me();
        res.json({
          ok: true,
          account: { email: me.email, username: me.username, timeZone: me.timeZone },
          message: `Connected to Cal.com as ${me.username ?? me.email ?? 'your account'}`,
        });
      } catch (err) {
        const status = err instanceof CalcomError ? err.status : 0;
        res.json({
          ok: false,
          message:
            status === 401 || status === 403
              ? 'Cal.com refused the API key'
              : `Cal.com did not answer as expected (${(err as Error).message.slice(0, 200)})`,
        });
      }
    }),
  );

  const requireSettings = async (clientId: string) => {
    const settings = await service.settings(clientId);
    if (!settings) throw new AppError('conflict', 'Cal.com is not connected (Settings → Integrations)');
    return settings;
  };
  const requireLead = async (clientId: string, id: unknown) => {
    const lead = await service.lead(clientId, parseId(id));
    if (!lead) throw AppError.notFound('lead');
    return lead;
  };
  const requireBooking = async (clientId: string, id: unknown) => {
    const row = await findBooking(sql, clientId, parseId(id));
    if (!row) throw AppError.notFound('booking');
    return row;
  };

  openapi.add({
    method: 'get',
    path: '/leads/:id/bookings',
    summary: "A lead's bookings, newest first",
    tag: 'bookings',
    response: bookingSchema.array(),
  });
  router.get(
    '/leads/:id/bookings',
    requirePermission('leads:read'),
    route(async (req, res) => {
      const clientId = requireClient(req).id;
      const lead = await requireLead(clientId, req.params.id);
      res.json((await listLeadBookings(sql, clientId, lead.id)).map(bookingRowToDto));
    }),
  );

  openapi.add({
    method: 'get',
    path: '/leads/:id/booking-slots',
    summary: 'Free slots for a lead (Cal.com, the service’s event type)',
    tag: 'bookings',
    query: bookingSlotsQuerySchema,
  });
  router.get(
    '/leads/:id/booking-slots',
    requirePermission('leads:read'),
    route(async (req, res) => {
      const clientId = requireClient(req).id;
      const q = parseInput(bookingSlotsQuerySchema, req.query, 'query');
      const lead = await requireLead(clientId, req.params.id);
      const settings = await requireSettings(clientId);
      const tenant = await service.tenant(clientId);
      const wanted = q.service ?? lead.qualification.serviceInterest ?? null;
      try {
        res.json({ timeZone: tenant.timezone, slots: await service.freeSlots(settings, tenant, wanted, [], 12) });
      } catch (err) {
        throw new AppError('service_unavailable', `Cal.com did not answer: ${(err as Error).message.slice(0, 200)}`);
      }
    }),
  );

  openapi.add({
    method: 'post',
    path: '/leads/:id/bookings',
    summary: 'Book an appointment for a lead (once per requestKey)',
    tag: 'bookings',
    body: staffCreateBookingSchema,
    response: bookingSchema,
    status: 201,
  });
  router.post(
    '/leads/:id/bookings',
    requirePermission('leads:update'),
    route(async (req, res) => {
      const clientId = requireClient(req).id;
      const body = parseInput(staffCreateBookingSchema, req.body, 'body');
      const lead = await requireLead(clientId, req.params.id);
      if (!lead.email && !lead.phone) {
        throw new AppError('validation_failed', 'the lead needs an email or a phone number to be booked');
      }
      const settings = await requireSettings(clientId);
      const tenant = await service.tenant(clientId);
      const conversationId = await service.latestConversation(clientId, lead.id);
      const language = bookingLanguage(lead.language, tenant.locale);
      const outcome = await service.book({
        settings,
        tenant,
        requestKey: `staff:${body.requestKey ?? `${lead.id}:${new Date(body.start).toISOString()}`}`,
        lead,
        conversationId,
        service: body.service ?? lead.qualification.serviceInterest ?? null,
        start: body.start,
        end: null,
        by: 'staff',
        language,
      });
      if (outcome.kind === 'taken') throw new AppError('conflict', 'that slot is no longer free');
      if (outcome.kind === 'failed')
        throw new AppError('service_unavailable', `Cal.com refused: ${outcome.message.slice(0, 200)}`);
      if (outcome.kind === 'booked' && conversationId) {
        const texts = bookingTexts(language);
        await service.say(
          clientId,
          conversationId,
          texts.confirmed(service.when(outcome.row, tenant, language), outcome.row.service),
          {
            intent: 'booking:confirmed',
            language,
          },
        );
      }
      res.status(outcome.kind === 'booked' ? 201 : 200).json(bookingRowToDto(outcome.row));
    }),
  );

  openapi.add({
    method: 'post',
    path: '/bookings/:id/reschedule',
    summary: 'Move a booking',
    tag: 'bookings',
    body: staffRescheduleBookingSchema,
    response: bookingSchema,
  });
  router.post(
    '/bookings/:id/reschedule',
    requirePermission('leads:update'),
    route(async (req, res) => {
      const clientId = requireClient(req).id;
      const body = parseInput(staffRescheduleBookingSchema, req.body, 'body');
      const row = await requireBooking(clientId, req.params.id);
      const settings = await requireSettings(clientId);
      const moved = await service.move(settings, row, body.start, 'staff');
      if (moved.kind === 'taken') throw new AppError('conflict', 'that slot is no longer free');
      if (moved.kind === 'failed')
        throw new AppError('service_unavailable', `Cal.com refused: ${moved.message.slice(0, 200)}`);
      await tellLead(moved.row, 'rescheduled');
      res.json(bookingRowToDto(moved.row));
    }),
  );

  openapi.add({
    method: 'post',
    path: '/bookings/:id/cancel',
    summary: 'Cancel a booking',
    tag: 'bookings',
    body: staffCancelBookingSchema,
    response: bookingSchema,
  });
  router.post(
    '/bookings/:id/cancel',
    requirePermission('leads:update'),
    route(async (req, res) => {
      const clientId = requireClient(req).id;
      const body = parseInput(staffCancelBookingSchema, req.body ?? {}, 'body');
      const row = await requireBooking(clientId, req.params.id);
      const settings = await requireSettings(clientId);
      const cancelled = await service.cancel(settings, row, 'staff', body.reason);
      await tellLead(cancelled, 'cancelled');
      res.json(bookingRowToDto(cancelled));
    }),
  );

  /** Staff moved or cancelled: the lead hears it in their conversation, in their language. */
  const tellLead = async (
    row: Awaited<ReturnType<typeof findBooking>> & object,
    change: 'rescheduled' | 'cancelled',
  ) => {
    if (!row.conversation_id) return;
    const tenant = await service.tenant(row.client_id);
    const lead = row.lead_id ? await service.lead(row.client_id, row.lead_id) : null;
    const language = bookingLanguage(row.language, lead?.language, tenant.locale);
    const texts = bookingTexts(language);
    const when = service.when(row, tenant, language);
    await service.say(
      row.client_id,
      row.conversation_id,
      change === 'cancelled' ? texts.cancelled(when) : texts.rescheduled(when),
      {
        intent: `booking:${change}`,
        language,
      },
    );
  };

  return router;
}
