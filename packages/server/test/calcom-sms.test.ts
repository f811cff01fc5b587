import type { LeadDto } from '@leaddesk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseForm, signTwilioRequest } from '../src/channels/sms/twilio-signature.js';
import { createCalcomTenant } from './support/calcom-tenant.js';
import { type FakeCalcom, startFakeCalcom } from './support/fake-calcom.js';
import { type FakeHttpProvider, startFakeTwilio, waitFor } from './support/fake-providers.js';
import { startTestServer, type TestServer } from './support/test-server.js';

/**
 * Booking by SMS: no buttons there, so the slots come as a numbered list and
 * the lead answers with a digit; the booking is made with the lead's phone
 * number (no email) and confirmed by SMS.
 */
const PUBLIC_URL = 'https://leads.example.com';
const AUTH_TOKEN = '9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const ACCOUNT_SID = 'AC3f1d2c7e9b8a4f6e5d4c3b2a19081726';
const BUSINESS_NUMBER = '+14155550100';
const LEAD_PHONE = '+393331234567';

describe('Cal.com booking by SMS', () => {
  let server: TestServer;
  let calcom: FakeCalcom;
  let twilio: FakeHttpProvider;
  let tenant: Awaited<ReturnType<typeof createCalcomTenant>>;
  let sid = 0;

  const inbound = (body: string) => {
    const messageSid = `SM${String(++sid).padStart(32, '0')}`;
    const params = new URLSearchParams({
      SmsMessageSid: messageSid,
      NumMedia: '0',
      SmsSid: messageSid,
      SmsStatus: 'received',
      Body: body,
      To: BUSINESS_NUMBER,
      NumSegments: '1',
      MessageSid: messageSid,
      AccountSid: ACCOUNT_SID,
      From: LEAD_PHONE,
      ApiVersion: '2010-04-01',
    }).toString();
    const signature = signTwilioRequest(AUTH_TOKEN, `${PUBLIC_URL}/webhooks/sms`, parseForm(Buffer.from(params)));
    return fetch(`http://127.0.0.1:${server.port}/webhooks/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: params,
    });
  };
  const smsBodies = () => twilio.requests.filter((r) => r.form?.To === LEAD_PHONE).map((r) => r.form?.Body ?? '');

  beforeAll(async () => {
    calcom = await startFakeCalcom();
    twilio = await startFakeTwilio();
    server = await startTestServer({
      env: { PUBLIC_URL, TWILIO_BASE_URL: twilio.url, CALCOM_BASE_URL: calcom.url, STRUCTURED_CHUNK_DELAY_MS: '0' },
    });
    tenant = await createCalcomTenant(server, calcom);
    const twilioSaved = await tenant.api('PATCH', '/channels/twilio', {
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      phoneNumber: BUSINESS_NUMBER,
    });
    expect(twilioSaved.status).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await server?.dispose();
    await calcom?.close();
    await twilio?.close();
  });

  it('offers a numbered list, books the digit answered with the phone number, and confirms by SMS', async () => {
    expect((await inbound('I would like to book a cleaning, please')).status).toBe(200);
    const list = await waitFor(() => smsBodies().find((b) => /Reply with a number from 1 to 3/.test(b)), 20_000);
    const lines = list.split('\n').filter((l) => /^\d\. /.test(l));
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^2\. .* 11:00$/);

    expect((await inbound('2')).status).toBe(200);
    const confirmation = await waitFor(() => smsBodies().find((b) => /You're booked/.test(b)), 20_000);
    expect(confirmation).toContain('11:00');
    const posts = calcom.calls('POST', '/v2/bookings');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.json).toMatchObject({
      start: calcom.slotStarts[1],
      attendee: { phoneNumber: LEAD_PHONE, timeZone: 'Europe/Rome' },
    });
    expect(Object.keys((posts[0]?.json?.attendee ?? {}) as Record<string, unknown>)).not.toContain('email');
    const leads = await tenant.api<{ data: LeadDto[] }>('GET', `/leads?q=${encodeURIComponent(LEAD_PHONE)}`);
    expect(leads.body.data[0]).toMatchObject({ status: 'appointment_booked', appointmentAt: calcom.slotStarts[1] });
  }, 60_000);
});
