import fs from 'node:fs';
import path from 'node:path';
import type { LeadDto } from '@leaddesk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { longWhen, slotLabel } from '../src/booking/booking-texts.js';
import { signMetaBody } from '../src/channels/whatsapp/verify-signature.js';
import { leadWritesOnWhatsApp, WHATSAPP } from './support/automation-scenario.js';
import { type CalcomTenant, createCalcomTenant } from './support/calcom-tenant.js';
import { type FakeCalcom, startFakeCalcom } from './support/fake-calcom.js';
import {
  type FakeHttpProvider,
  type RecordedRequest,
  startFakeGraphApi,
  waitFor,
  wamid,
} from './support/fake-providers.js';
import { startTestServer, type TestServer } from './support/test-server.js';

/**
 * Booking on WhatsApp: the free slots go out as Meta's interactive reply
 * buttons (at most three, titles of at most 20 characters), and the lead's
 * tap (an `interactive.button_reply` webhook carrying the button's id) books
 * that slot once on Cal.com, with the confirmation sent back on WhatsApp.
 */
const LEAD_WA_ID = '393331234567';
const OTHER_WA_ID = '393339876543';

type Button = { type: string; reply: { id: string; title: string } };

/** Meta's documented button-reply webhook (signed): the lead tapped the button `id` titled `title`. */
async function leadTapsOnWhatsApp(base: string, from: string, button: { id: string; title: string }, id = wamid()) {
  const body = JSON.parse(
    fs.readFileSync(path.join(import.meta.dirname, 'fixtures/whatsapp/webhook-interactive-button-reply.json'), 'utf8'),
  );
  const value = body.entry[0].changes[0].value;
  value.metadata.phone_number_id = WHATSAPP.phoneNumberId;
  value.contacts[0].wa_id = from;
  value.messages[0].from = from;
  value.messages[0].id = id;
  value.messages[0].timestamp = String(Math.floor(Date.now() / 1000));
  value.messages[0].interactive.button_reply = button;
  const raw = JSON.stringify(body);
  const res = await fetch(`${base}/webhooks/whatsapp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMetaBody(raw, WHATSAPP.appSecret) },
    body: raw,
  });
  expect(res.status).toBe(200);
  return id;
}

describe('Cal.com booking on WhatsApp (interactive reply buttons)', () => {
  let server: TestServer;
  let calcom: FakeCalcom;
  let graph: FakeHttpProvider & { sent(): RecordedRequest[] };
  let tenant: CalcomTenant;
  let base: string;

  const sentToLead = () => graph.sent().filter((r) => r.json?.to === LEAD_WA_ID);
  const textsToLead = () =>
    sentToLead()
      .filter((r) => r.json?.type === 'text')
      .map((r) => (r.json?.text as { body?: string } | undefined)?.body ?? '');

  beforeAll(async () => {
    calcom = await startFakeCalcom();
    graph = await startFakeGraphApi();
    server = await startTestServer({
      env: {
        META_APP_SECRET: WHATSAPP.appSecret,
        META_GRAPH_BASE_URL: graph.url,
        CALCOM_BASE_URL: calcom.url,
        STRUCTURED_CHUNK_DELAY_MS: '0',
        OUTBOUND_SWEEP_INTERVAL_MS: '300',
      },
    });
    base = `http://127.0.0.1:${server.port}`;
    tenant = await createCalcomTenant(server, calcom);
    const saved = await tenant.api('PUT', '/channels/whatsapp', {
      phoneNumberId: WHATSAPP.phoneNumberId,
      accessToken: WHATSAPP.accessToken,
      verifyToken: 'tenant-verify-token',
    });
    expect(saved.status).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await server?.dispose();
    await calcom?.close();
    await graph?.close();
  });

  it('offers three slots as reply buttons and books the one tapped once, confirming on WhatsApp', async () => {
    await leadWritesOnWhatsApp(base, LEAD_WA_ID, 'I would like to book a cleaning, please');
    const offer = await waitFor(() => sentToLead().find((r) => r.json?.type === 'interactive'), 20_000);
    const interactive = offer.json?.interactive as {
      type: string;
      body: { text: string };
      action: { buttons: Button[] };
    };
    expect(offer.headers.authorization).toBe(`Bearer ${WHATSAPP.accessToken}`);
    expect(interactive.type).toBe('button');
    expect(interactive.body.text).toBe('Here are the next free times for Check-up and cleaning. Which one suits you?');
    const buttons = interactive.action.buttons;
    expect(buttons).toHaveLength(3);
    const titles = buttons.map((b) => b.reply.title);
    // The real free slots from Cal.com, said in the tenant's time zone, each short enough for a button.
    expect(titles).toEqual(calcom.slotStarts.slice(0, 3).map((s) => slotLabel(s, 'Europe/Rome', 'en')));
    for (const b of buttons) {
      expect(b.type).toBe('reply');
      expect(b.reply.title.length).toBeGreaterThan(0);
      expect(b.reply.title.length).toBeLessThanOrEqual(20);
      expect(b.reply.id).toMatch(/^booking:[0-9a-f-]{36}:[0-2]$/);
    }
    await server.app.conversation.orchestrator.idle();
    expect(calcom.calls('POST', '/v2/bookings')).toHaveLength(0);

    // Another WhatsApp user replaying this lead's button id books nothing: an offer belongs to its conversation.
    await leadTapsOnWhatsApp(base, OTHER_WA_ID, buttons[0]?.reply as { id: string; title: string });
    await waitFor(() => graph.sent().some((r) => r.json?.to === OTHER_WA_ID), 20_000);
    await server.app.conversation.orchestrator.idle();
    expect(calcom.calls('POST', '/v2/bookings')).toHaveLength(0);
    const strangers = await tenant.api<{ data: LeadDto[] }>('GET', `/leads?q=${encodeURIComponent(`+${OTHER_WA_ID}`)}`);
    expect(strangers.body.data).toHaveLength(1);
    expect(strangers.body.data[0]).toMatchObject({ appointmentAt: null });
    expect(strangers.body.data[0]?.status).not.toBe('appointment_booked');

    // The lead taps the second button; Meta delivers the webhook twice (a retry), and the lead taps again.
    const chosen = buttons[1]?.reply as { id: string; title: string };
    const tapId = await leadTapsOnWhatsApp(base, LEAD_WA_ID, chosen);
    const when = longWhen(calcom.slotStarts[1] as string, 'Europe/Rome', 'en');
    const confirmation = await waitFor(() => textsToLead().find((t) => t.startsWith("You're booked")), 20_000);
    expect(confirmation).toBe(`You're booked for Check-up and cleaning: ${when}. See you then!`);
    await leadTapsOnWhatsApp(base, LEAD_WA_ID, chosen, tapId);
    await leadTapsOnWhatsApp(base, LEAD_WA_ID, chosen);
    await waitFor(() => textsToLead().filter((t) => t.startsWith("You're booked")).length === 2, 20_000);
    await server.app.conversation.orchestrator.idle();

    const posts = calcom.calls('POST', '/v2/bookings');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.status).toBe(201);
    expect(posts[0]?.json).toMatchObject({
      start: calcom.slotStarts[1],
      eventTypeId: 100,
      attendee: { phoneNumber: `+${LEAD_WA_ID}`, timeZone: 'Europe/Rome', language: 'en' },
    });
    expect([...calcom.bookings.values()].filter((b) => b.status === 'accepted')).toHaveLength(1);

    const leads = await tenant.api<{ data: LeadDto[] }>('GET', `/leads?q=${encodeURIComponent(`+${LEAD_WA_ID}`)}`);
    expect(leads.body.data).toHaveLength(1);
    expect(leads.body.data[0]).toMatchObject({ status: 'appointment_booked', appointmentAt: calcom.slotStarts[1] });
    // The tap is stored as the lead's message with the button's title (what they saw).
    const rows = await server.db.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ content: string }>>(
        `select content from messages where client_id = ? and role = 'visitor' and external_id = ?`,
        [tenant.client.id, tapId],
      );
    expect(rows.map((r) => r.content)).toEqual([chosen.title]);
  }, 60_000);
});
