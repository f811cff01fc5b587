import { randomUUID } from 'node:crypto';
import type { BookingDto, LeadDto } from '@leaddesk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reminderJobId } from '../src/booking/booking-reminders.js';
import { insertPendingBooking } from '../src/booking/booking-store.js';
import { slotLabel } from '../src/booking/booking-texts.js';
import { signCalcomBody } from '../src/booking/calcom/verify-signature.js';
import type { DomainEvents } from '../src/conversation/domain-events.js';
import { sqlOf } from '../src/db/sql.js';
import { type CalcomTenant, createCalcomTenant } from './support/calcom-tenant.js';
import { type FakeCalcom, startFakeCalcom } from './support/fake-calcom.js';
import { waitFor } from './support/fake-providers.js';
import { spokenTime } from './support/spoken-time.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { startWebhookReceiver, verifiedBody, type WebhookReceiver } from './support/webhook-receiver.js';
import { connectVisitor, nextAiReply, type Visitor } from './support/widget-client.js';

/**
 * Booking an appointment in the conversation, end to end: a visitor on the
 * widget (real socket), the structured mode's booking intent, slots offered
 * from a local Cal.com (its v2 wire format), the choice booked once, and the
 * lead, the reply and the `booking.changed` event following.
 */
type QuickReplies = Array<{ id: string; label: string }>;

describe('Cal.com booking in the conversation (embedded)', () => {
  let server: TestServer;
  let calcom: FakeCalcom;
  let tenant: CalcomTenant;
  const open: Visitor[] = [];
  const changes: Array<DomainEvents['booking.changed']> = [];
  let receiver: WebhookReceiver | undefined;

  beforeAll(async () => {
    calcom = await startFakeCalcom();
    server = await startTestServer({
      env: {
        CALCOM_BASE_URL: calcom.url,
        STRUCTURED_CHUNK_DELAY_MS: '0',
        // The outbox catch-up test below: a local receiver, swept twice a second.
        OUTGOING_WEBHOOKS_ALLOW_PRIVATE: 'true',
        OUTGOING_WEBHOOKS_ALLOW_HTTP: 'true',
        OUTGOING_WEBHOOKS_SWEEP_INTERVAL_MS: '500',
      },
    });
    server.app.conversation.core.events.on('booking.changed', (e) => {
      changes.push(e);
    });
    tenant = await createCalcomTenant(server, calcom);
  }, 120_000);
  afterAll(async () => {
    for (const v of open) v.close();
    await receiver?.close();
    await server?.dispose();
    await calcom?.close();
  });

  /** A visitor who gave their name and email, then asked for an appointment: the offer they got. */
  async function visitorWithOffer(email: string) {
    const v = connectVisitor(server.url, { siteKey: tenant.client.siteKey, origin: 'https://x.example' });
    open.push(v);
    await v.waitFor('session:ready');
    const identified = await v.socket.timeout(10_000).emitWithAck('visitor:identify', { name: 'Marta Rossi', email });
    if (!identified.ok) throw new Error(identified.error.message);
    const ack = await v.send('I would like to book a cleaning, please');
    if (!ack.ok) throw new Error(ack.error.message);
    const offer = await v.waitFor<{ message: { seq: number; content: string }; quickReplies?: QuickReplies }>(
      'message:created',
      (p) => Boolean(p.quickReplies?.some((q) => q.id.startsWith('booking:'))),
      20_000,
    );
    return { v, leadId: identified.data.leadId, offer };
  }

  async function tap(v: Visitor, afterSeq: number, choice: { id: string; label: string }) {
    const ack = await v.send(choice.label, undefined, choice.id);
    if (!ack.ok) throw new Error(ack.error.message);
    const reply = await nextAiReply(v, Math.max(afterSeq, ack.data.message.seq), 20_000);
    await server.app.conversation.orchestrator.idle();
    return reply;
  }

  const lead = async (id: string) => (await tenant.api<LeadDto>('GET', `/leads/${id}`)).body;

  it('offers three slots from Cal.com in the tenant time zone, books the one tapped once, and confirms', async () => {
    const { v, leadId, offer } = await visitorWithOffer('marta@example.com');
    const slots = calcom.calls('GET', '/v2/slots');
    expect(slots.length).toBeGreaterThan(0);
    const query = new URL(slots.at(-1)?.path ?? '', 'http://x').searchParams;
    expect(query.get('timeZone')).toBe('Europe/Rome');
    expect(query.get('eventTypeId')).toBe('100');
    expect(slots.at(-1)?.headers['cal-api-version']).toBe('2024-09-04');
    expect(offer.quickReplies).toHaveLength(3);
    expect(offer.message.content).toMatch(/free times/);

    const chosen = offer.quickReplies?.[1] as { id: string; label: string };
    const reply = await tap(v, offer.message.seq, chosen);
    expect(reply.message.content).toMatch(/You're booked/);
    // 09:00 UTC is 10:00 in Rome: times are said in the tenant's time zone.
    expect(chosen.label).toMatch(/11:00$/);
    expect(reply.message.content).toContain('11:00');

    const posts = calcom.calls('POST', '/v2/bookings');
    expect(posts).toHaveLength(1);
    const sent = posts[0];
    expect(sent?.headers.authorization).toBe(`Bearer ${calcom.apiKey}`);
    expect(sent?.headers['cal-api-version']).toBe('2024-08-13');
    expect(sent?.json).toMatchObject({
      start: calcom.slotStarts[1],
      eventTypeId: 100,
      attendee: { name: 'Marta Rossi', email: 'marta@example.com', timeZone: 'Europe/Rome', language: 'en' },
    });

    const booked = await lead(leadId);
    expect(booked.status).toBe('appointment_booked');
    expect(booked.appointmentAt).toBe(calcom.slotStarts[1]);
    await waitFor(() => changes.some((c) => c.leadId === leadId && c.change === 'created' && c.by === 'lead'));

    // The same tap again (a double click): no second booking, the same confirmation.
    const again = await tap(v, reply.message.seq, chosen);
    expect(again.message.content).toMatch(/You're booked/);
    expect(calcom.calls('POST', '/v2/bookings')).toHaveLength(1);
    const rows = (await tenant.api<BookingDto[]>('GET', `/leads/${leadId}/bookings`)).body;
    expect(rows.map((r) => r.status)).toEqual(['booked']);
  }, 60_000);

  it('starts the offer at the day and hour the lead asked for in the message', async () => {
    const wanted = calcom.slotStarts[4] as string;
    const { day, time: hour } = spokenTime(wanted, 'Europe/Rome', 'en');
    const v = connectVisitor(server.url, { siteKey: tenant.client.siteKey, origin: 'https://x.example' });
    open.push(v);
    await v.waitFor('session:ready');
    const identified = await v.socket
      .timeout(10_000)
      .emitWithAck('visitor:identify', { name: 'Rosa Bianchi', email: 'rosa@example.com' });
    if (!identified.ok) throw new Error(identified.error.message);
    const ack = await v.send(`I would like to book a cleaning on ${day} at ${hour}`);
    if (!ack.ok) throw new Error(ack.error.message);
    const offer = await v.waitFor<{ quickReplies?: QuickReplies }>(
      'message:created',
      (p) => Boolean(p.quickReplies?.some((q) => q.id.startsWith('booking:'))),
      20_000,
    );
    // From the time asked for on, not the first free hour.
    expect(offer.quickReplies?.map((q) => q.label)).toEqual(
      calcom.slotStarts.slice(4, 7).map((s) => slotLabel(s, 'Europe/Rome', 'en')),
    );
  }, 60_000);

  it('offers the next slots when the one tapped was taken meanwhile, and never books it twice', async () => {
    const { v, leadId, offer } = await visitorWithOffer('luca@example.com');
    const first = offer.quickReplies?.[0] as { id: string; label: string };
    // Someone books that time on Cal.com between the offer and the tap.
    // (The offer lists the first free slots, so the first offered is the first not booked yet.)
    const takenStart = [...calcom.slotStarts].find((s) => !isBooked(s)) as string;
    calcom.take(takenStart);
    const before = calcom.calls('POST', '/v2/bookings').length;
    const reply = await tap(v, offer.message.seq, first);
    expect(reply.message.content).toMatch(/just taken/);
    expect(calcom.calls('POST', '/v2/bookings')).toHaveLength(before + 1);
    expect(calcom.calls('POST', '/v2/bookings').at(-1)?.status).toBe(400);
    expect(reply.quickReplies).toHaveLength(3);
    expect(reply.quickReplies.map((q) => q.label)).not.toContain(first.label);
    expect((await lead(leadId)).status).not.toBe('appointment_booked');

    const next = reply.quickReplies[0] as { id: string; label: string };
    const done = await tap(v, reply.message.seq, next);
    expect(done.message.content).toMatch(/You're booked/);
    const mine = [...calcom.bookings.values()].filter((b) => b.attendees[0]?.email === 'luca@example.com');
    expect(mine).toHaveLength(1);
    expect(mine[0]?.start).not.toBe(takenStart);
    expect((await lead(leadId)).appointmentAt).toBe(mine[0]?.start);
  }, 60_000);

  it('moves and cancels the appointment when the lead asks in the conversation', async () => {
    const { v, leadId, offer } = await visitorWithOffer('giulia@example.com');
    const booked = await tap(v, offer.message.seq, offer.quickReplies?.[0] as { id: string; label: string });
    expect(booked.message.content).toMatch(/You're booked/);
    const original = (await lead(leadId)).appointmentAt as string;
    const oldUid = [...calcom.bookings.values()].find((b) => b.attendees[0]?.email === 'giulia@example.com')?.uid;

    let ack = await v.send('Can I move my appointment to another day?');
    if (!ack.ok) throw new Error(ack.error.message);
    const options = await nextAiReply(v, ack.data.message.seq, 20_000);
    expect(options.message.content).toMatch(/other free times/);
    expect(options.quickReplies).toHaveLength(3);
    const target = options.quickReplies[2] as { id: string; label: string };
    const moved = await tap(v, options.message.seq, target);
    expect(moved.message.content).toMatch(/moved to/);
    const reschedules = calcom.calls('POST', `/v2/bookings/${oldUid}/reschedule`);
    expect(reschedules).toHaveLength(1);
    const newStart = (reschedules[0]?.json as { start?: string } | undefined)?.start;
    const after = await lead(leadId);
    expect(after.appointmentAt).toBe(newStart);
    expect(after.appointmentAt).not.toBe(original);
    expect(after.status).toBe('appointment_booked');
    await waitFor(() =>
      changes.some((c) => c.leadId === leadId && c.change === 'rescheduled' && c.startsAt === newStart),
    );

    ack = await v.send('I need to cancel my appointment');
    if (!ack.ok) throw new Error(ack.error.message);
    const cancelled = await nextAiReply(v, ack.data.message.seq, 20_000);
    await server.app.conversation.orchestrator.idle();
    expect(cancelled.message.content).toMatch(/is cancelled/);
    const current = [...calcom.bookings.values()].find((b) => b.rescheduledFromUid === oldUid);
    expect(current?.status).toBe('cancelled');
    const end = await lead(leadId);
    expect(end.appointmentAt).toBeNull();
    expect(end.status).toBe('qualified');
    await waitFor(() => changes.some((c) => c.leadId === leadId && c.change === 'cancelled' && c.by === 'lead'));
  }, 90_000);

  it('applies signed Cal.com webhooks and stores nothing for a bad signature', async () => {
    // Staff book from the lead's page; then Cal.com tells us the lead cancelled there.
    const { leadId } = await visitorWithOffer('paolo@example.com');
    const slots = await tenant.api<{ slots: Array<{ start: string }> }>('GET', `/leads/${leadId}/booking-slots`);
    expect(slots.status).toBe(200);
    const start = slots.body.slots[0]?.start as string;
    const made = await tenant.api<BookingDto>('POST', `/leads/${leadId}/bookings`, {
      start,
      requestKey: 'staff-click-1',
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ status: 'booked', createdBy: 'staff', startsAt: start });
    // A retried request with the same key books nothing more.
    const retried = await tenant.api<BookingDto>('POST', `/leads/${leadId}/bookings`, {
      start,
      requestKey: 'staff-click-1',
    });
    expect(retried.status).toBe(200);
    expect(retried.body.id).toBe(made.body.id);
    expect([...calcom.bookings.values()].filter((b) => b.attendees[0]?.email === 'paolo@example.com')).toHaveLength(1);

    const body = JSON.stringify({
      triggerEvent: 'BOOKING_CANCELLED',
      createdAt: new Date().toISOString(),
      payload: { uid: made.body.calendarUid, startTime: start, cancellationReason: 'Cannot come' },
    });
    const post = (signature: string) =>
      fetch(`${server.url}/webhooks/calcom?client=${tenant.client.slug}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-cal-signature-256': signature },
        body,
      });
    const countRows = async () => {
      const rows = await server.db.orm.em
        .fork()
        .getConnection()
        .execute<Array<{ n: string }>>(`select count(*) as n from messages where client_id = ? and role = 'note'`, [
          tenant.client.id,
        ]);
      return Number(rows[0]?.n);
    };
    const notesBefore = await countRows();
    const forged = await post(signCalcomBody(body, 'not-the-secret'));
    expect(forged.status).toBe(401);
    const unsigned = await post('');
    expect(unsigned.status).toBe(401);
    expect((await lead(leadId)).status).toBe('appointment_booked');
    expect((await tenant.api<BookingDto[]>('GET', `/leads/${leadId}/bookings`)).body[0]?.status).toBe('booked');
    expect(await countRows()).toBe(notesBefore);

    const good = await post(signCalcomBody(body, tenant.webhookSecret));
    expect(good.status).toBe(200);
    expect(await good.json()).toMatchObject({ applied: 'cancelled' });
    expect((await lead(leadId)).status).toBe('qualified');
    expect((await tenant.api<BookingDto[]>('GET', `/leads/${leadId}/bookings`)).body[0]?.status).toBe('cancelled');
    expect(await countRows()).toBe(notesBefore + 1);
    await waitFor(() => changes.some((c) => c.leadId === leadId && c.change === 'cancelled' && c.by === 'calendar'));
    // Delivered again: nothing changes twice.
    const again = await post(signCalcomBody(body, tenant.webhookSecret));
    expect(await again.json()).toMatchObject({ applied: 'ignored' });
  }, 60_000);

  it("keeps each tenant's bookings and Cal.com key to itself", async () => {
    const other = await createCalcomTenant(server, calcom, { name: 'Other Clinic' });
    const { leadId } = await visitorWithOffer('anna@example.com');
    const made = await tenant.api<BookingDto>('POST', `/leads/${leadId}/bookings`, {
      start: (await tenant.api<{ slots: Array<{ start: string }> }>('GET', `/leads/${leadId}/booking-slots`)).body
        .slots[0]?.start,
    });
    expect(made.status).toBe(201);

    expect((await other.api('GET', `/leads/${leadId}/bookings`)).status).toBe(404);
    expect((await other.api('GET', `/leads/${leadId}/booking-slots`)).status).toBe(404);
    expect((await other.api('POST', `/leads/${leadId}/bookings`, { start: made.body.startsAt })).status).toBe(404);
    expect((await other.api('POST', `/bookings/${made.body.id}/cancel`, {})).status).toBe(404);
    expect(
      (await other.api('POST', `/bookings/${made.body.id}/reschedule`, { start: made.body.startsAt })).status,
    ).toBe(404);
    expect((await tenant.api<BookingDto[]>('GET', `/leads/${leadId}/bookings`)).body[0]?.status).toBe('booked');

    // The key goes in, never out: only "set" and its last 4 characters.
    const view = await tenant.api('GET', '/integrations/calcom');
    expect(view.text).not.toContain(calcom.apiKey);
    expect(view.text).not.toContain(tenant.webhookSecret);
    expect(view.body).toMatchObject({ configured: true, apiKey: { set: true, last4: calcom.apiKey.slice(-4) } });
    // Bad input changes nothing.
    const bad = await tenant.api('PATCH', '/integrations/calcom', { bookingWindowDays: 0 });
    expect(bad.status).toBe(400);
    expect((await tenant.api('GET', '/integrations/calcom')).body).toMatchObject({ bookingWindowDays: 14 });
  }, 60_000);

  it('announces bookings made, moved and cancelled whose outbox writes failed, from the stored changes: once each', async () => {
    receiver = await startWebhookReceiver();
    const endpoint = await tenant.api<{ secret: string }>('POST', '/webhook-endpoints', {
      url: receiver.url,
      events: ['booking.created', 'booking.rescheduled', 'booking.cancelled'],
    });
    expect(endpoint.status).toBe(201);
    receiver.setSecret(endpoint.body.secret);
    const { leadId } = await visitorWithOffer('gianni@example.com');
    const slots = (await tenant.api<{ slots: Array<{ start: string }> }>('GET', `/leads/${leadId}/booking-slots`)).body
      .slots;
    const db = server.db.orm.em.getConnection();
    // Every booking event's outbox write fails, as when the process dies between the commit and it.
    await db.execute(`create function ld_test_fail_bookings() returns trigger language plpgsql as $$
      begin if new.type like 'booking.%' then raise exception 'outbox write lost'; end if; return new; end $$`);
    await db.execute(`create trigger ld_test_fail_bookings before insert on outgoing_webhook_events
      for each row execute function ld_test_fail_bookings()`);
    let bookingId = '';
    try {
      const made = await tenant.api<BookingDto>('POST', `/leads/${leadId}/bookings`, { start: slots[0]?.start });
      expect(made.status).toBe(201);
      bookingId = made.body.id;
      const moved = await tenant.api<BookingDto>('POST', `/bookings/${bookingId}/reschedule`, {
        start: slots[1]?.start,
      });
      expect(moved.status).toBe(200);
      const cancelled = await tenant.api<BookingDto>('POST', `/bookings/${bookingId}/cancel`, {});
      expect(cancelled.status).toBe(200);
      await new Promise((res) => setTimeout(res, 1000));
      expect(receiver.received).toHaveLength(0);
    } finally {
      await db.execute('drop trigger ld_test_fail_bookings on outgoing_webhook_events');
      await db.execute('drop function ld_test_fail_bookings()');
    }
    const all = await waitFor(() => receiver?.received.length === 3 && receiver.received, 20_000);
    expect(all.every((x) => x.verifyError === null)).toBe(true);
    const body = (type: string) => verifiedBody(all.find((x) => x.verified?.type === type));
    expect(body('booking.created').data).toMatchObject({ bookingId, leadId, startsAt: slots[0]?.start, by: 'staff' });
    expect(body('booking.rescheduled').data).toMatchObject({ bookingId, startsAt: slots[1]?.start, by: 'staff' });
    expect(body('booking.cancelled').data).toMatchObject({ bookingId, startsAt: slots[1]?.start, by: 'staff' });
    // Later sweeps find every change announced: nothing twice.
    await new Promise((res) => setTimeout(res, 1500));
    expect(receiver.received).toHaveLength(3);
  }, 60_000);

  it('schedules the reminder the day before per booking and start, and sends it only while the booking stands', async () => {
    const { v, leadId, offer } = await visitorWithOffer('sofia@example.com');
    const booked = await tap(v, offer.message.seq, offer.quickReplies?.[0] as { id: string; label: string });
    const [row] = (await tenant.api<BookingDto[]>('GET', `/leads/${leadId}/bookings`)).body;
    if (!row) throw new Error('no booking');
    const jobs = async () =>
      server.db.orm.em
        .fork()
        .getConnection()
        .execute<Array<{ dedup_key: string; run_at: Date; data: { startsAt: string } }>>(
          `select dedup_key, run_at, data from job_queue where queue = 'booking' and data->>'bookingId' = ?`,
          [row.id],
        );
    const [job] = await jobs();
    expect(job?.dedup_key).toBe(reminderJobId(row.id, row.startsAt));
    // Due a day before the appointment (a few seconds of scheduling aside).
    expect(Math.abs(new Date(job?.run_at as Date).getTime() - (Date.parse(row.startsAt) - 86_400_000))).toBeLessThan(
      60_000,
    );
    const reminders = server.app.booking.reminders;
    // Moved: a new job for the new start; the old one finds the start changed and says nothing.
    const slots = (await tenant.api<{ slots: Array<{ start: string }> }>('GET', `/leads/${leadId}/booking-slots`)).body;
    const moved = await tenant.api<BookingDto>('POST', `/bookings/${row.id}/reschedule`, {
      start: slots.slots[0]?.start,
    });
    expect(moved.status).toBe(200);
    expect((await jobs()).map((j) => j.dedup_key).sort()).toEqual(
      [reminderJobId(row.id, row.startsAt), reminderJobId(row.id, moved.body.startsAt)].sort(),
    );
    expect(await reminders.send({ clientId: tenant.client.id, bookingId: row.id, startsAt: row.startsAt })).toBe(
      'stale',
    );
    // The staff's move reached the lead in the conversation.
    await v.waitFor<{ message: { content: string } }>('message:created', (p) => /moved to/.test(p.message.content));
    const sent = await reminders.send({ clientId: tenant.client.id, bookingId: row.id, startsAt: moved.body.startsAt });
    expect(sent).toBe('sent');
    await v.waitFor<{ message: { content: string } }>('message:created', (p) =>
      /^Reminder: your appointment is tomorrow/.test(p.message.content),
    );
    // Another tenant's id never reminds anyone.
    expect(await reminders.send({ clientId: randomUUID(), bookingId: row.id, startsAt: moved.body.startsAt })).toBe(
      'stale',
    );
    // Cancelled: nothing.
    await tenant.api('POST', `/bookings/${row.id}/cancel`, {});
    expect(await reminders.send({ clientId: tenant.client.id, bookingId: row.id, startsAt: moved.body.startsAt })).toBe(
      'stale',
    );
    expect(booked.message.content).toMatch(/You're booked/);
  }, 60_000);

  it('settles a booking whose request died after Cal.com booked, from the BOOKING_CREATED webhook, once', async () => {
    const { leadId } = await visitorWithOffer('dario@example.com');
    // What a process killed between Cal.com's answer and its commit leaves: a pending row, and the booking on Cal.com.
    const start = calcom.slotStarts.find((s) => !isBooked(s)) as string;
    const pending = await insertPendingBooking(sqlOf(server.db.orm), {
      id: randomUUID(),
      clientId: tenant.client.id,
      leadId,
      conversationId: null,
      requestKey: `offer:${randomUUID()}`,
      eventTypeId: 100,
      service: null,
      startsAt: start,
      endsAt: null,
      createdBy: 'lead',
      language: 'en',
    });
    if (!pending) throw new Error('not inserted');
    expect((await lead(leadId)).status).not.toBe('appointment_booked');
    const body = JSON.stringify({
      triggerEvent: 'BOOKING_CREATED',
      createdAt: new Date().toISOString(),
      payload: {
        uid: 'booking_uid_settled_1',
        startTime: start,
        endTime: new Date(Date.parse(start) + 3_600_000).toISOString(),
        metadata: { leaddeskBookingId: pending.id },
        attendees: [{ email: 'dario@example.com', name: 'Marta Rossi', timeZone: 'Europe/Rome' }],
      },
    });
    const post = () =>
      fetch(`${server.url}/webhooks/calcom?client=${tenant.client.slug}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-cal-signature-256': signCalcomBody(body, tenant.webhookSecret),
        },
        body,
      });
    expect(await (await post()).json()).toMatchObject({ applied: 'created' });
    expect(await (await post()).json()).toMatchObject({ applied: 'ignored' });
    const rows = (await tenant.api<BookingDto[]>('GET', `/leads/${leadId}/bookings`)).body;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'booked', calendarUid: 'booking_uid_settled_1', startsAt: start });
    expect(await lead(leadId)).toMatchObject({ status: 'appointment_booked', appointmentAt: start });
    expect(changes.filter((c) => c.bookingId === pending.id && c.change === 'created')).toHaveLength(1);
  }, 60_000);

  function isBooked(start: string) {
    return [...calcom.bookings.values()].some((b) => b.status === 'accepted' && b.start === start);
  }
});
