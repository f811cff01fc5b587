import type { BookingDto, LeadDto } from '@leaddesk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvents } from '../src/conversation/domain-events.js';
import { type CalcomTenant, createCalcomTenant } from './support/calcom-tenant.js';
import { type FakeCalcom, startFakeCalcom } from './support/fake-calcom.js';
import { waitFor } from './support/fake-providers.js';
import { startTestServer, type TestServer } from './support/test-server.js';
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

  beforeAll(async () => {
    calcom = await startFakeCalcom();
    server = await startTestServer({ env: { CALCOM_BASE_URL: calcom.url, STRUCTURED_CHUNK_DELAY_MS: '0' } });
    server.app.conversation.core.events.on('booking.changed', (e) => {
      changes.push(e);
    });
    tenant = await createCalcomTenant(server, calcom);
  }, 120_000);
  afterAll(async () => {
    for (const v of open) v.close();
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
    const ack = await v.send('I would like to book a cleaning next week');
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
});
