import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signGenericBody } from '../../src/channels/missed-call/missed-call-routes.js';
import { parseForm, signTwilioRequest } from '../../src/channels/sms/twilio-signature.js';
import { createClient } from '../../src/tenants/tenant-service.js';
import {
  type FakeHttpProvider,
  type RecordedRequest,
  startFakeGraphApi,
  startFakeTwilio,
  waitFor,
} from '../support/fake-providers.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const PUBLIC_URL = 'https://leads.example.com';
const AUTH_TOKEN = '9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const ACCOUNT_SID = 'AC3f1d2c7e9b8a4f6e5d4c3b2a19081726';
const BUSINESS_NUMBER = '+14155550100';
const CALLER = '+14155550142';
const form = (name: string) => fs.readFileSync(path.join(import.meta.dirname, '../fixtures/twilio', name));

describe('missed calls and SMS (Twilio)', () => {
  let server: TestServer;
  let twilio: FakeHttpProvider;
  let graph: FakeHttpProvider & { sent(): RecordedRequest[] };
  let base: string;
  let tenant: Awaited<ReturnType<typeof createClient>>;
  const conn = () => server.db.orm.em.getConnection();
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await conn().execute<{ n: string }[]>(`select count(*) as n from ${sql}`, params))[0]?.n);

  /** Posts a form body signed the way Twilio signs it: over PUBLIC_URL + path + query and the sorted params. */
  const postTwilio = (
    pathAndQuery: string,
    raw: Buffer | string,
    options: { token?: string; signature?: string | null } = {},
  ) => {
    const body = Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
    const signature =
      options.signature === undefined
        ? signTwilioRequest(options.token ?? AUTH_TOKEN, `${PUBLIC_URL}${pathAndQuery}`, parseForm(body))
        : options.signature;
    return fetch(`${base}${pathAndQuery}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(signature ? { 'x-twilio-signature': signature } : {}),
      },
      body,
    });
  };
  const api = (client: { apiKey: string }, p: string, body: unknown) =>
    fetch(`${base}/api/v1${p}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${client.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const smsTo = (to: string) => twilio.requests.filter((r) => r.form?.To === to && r.status === 201);

  beforeAll(async () => {
    twilio = await startFakeTwilio();
    graph = await startFakeGraphApi();
    server = await startTestServer({
      env: {
        PUBLIC_URL,
        TWILIO_BASE_URL: twilio.url,
        META_GRAPH_BASE_URL: graph.url,
        TELEPHONY_WEBHOOK_SECRET: 'generic-telephony-secret-0123456789',
        STRUCTURED_CHUNK_DELAY_MS: '0',
      },
    });
    base = `http://127.0.0.1:${server.port}`;
    tenant = await createClient(server.db.orm.em.fork(), {
      name: 'Harbor Realty',
      industry: 'real_estate',
      locale: 'en-US',
    });
    const res = await api(tenant, '/channels/twilio', {
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      phoneNumber: BUSINESS_NUMBER,
    });
    expect(res.status).toBe(200);
    expect(await res.text()).not.toContain(AUTH_TOKEN);
  });
  afterAll(async () => {
    await server?.dispose();
    await twilio?.close();
    await graph?.close();
  });
  beforeEach(() => {
    twilio.reset();
    graph.reset();
  });

  it('a missed call (the <Dial> action, delivered five times, and its child leg) gives one lead and one SMS follow-up', async () => {
    const url = `/webhooks/missed-call?client=${tenant.client.slug}`;
    const dialAction = form('voice-dial-action-no-answer.COMPOSED.form');
    const first = await Promise.all([1, 2, 3].map(() => postTwilio(url, dialAction)));
    expect(first.map((r) => r.status)).toEqual([200, 200, 200]);
    await postTwilio(url, dialAction);
    await postTwilio(url, dialAction);
    // The same call's child-leg status callback (ParentCallSid = the call above).
    const leg = await postTwilio(url, form('voice-status-callback-dial-leg-no-answer.DERIVED.form'));
    expect(await leg.json()).toMatchObject({ handled: true, duplicate: true });

    const sms = await waitFor(() => smsTo(CALLER)[0]);
    await new Promise((r) => setTimeout(r, 800));
    expect(smsTo(CALLER)).toHaveLength(1);
    expect(sms.path).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    expect(sms.headers.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`);
    expect(sms.form).toMatchObject({ From: BUSINESS_NUMBER, To: CALLER });
    expect(sms.form?.Body).toMatch(/Harbor Realty.*missed your call/);

    expect(await count('leads where client_id = ? and phone = ?', [tenant.client.id, CALLER])).toBe(1);
    const messages = await conn().execute<{ role: string; content: string; channel: string; delivery_state: string }[]>(
      `select m.role, m.content, m.channel, m.delivery_state from messages m join leads l on l.id = (select lead_id from conversations where id = m.conversation_id)
       where m.client_id = ? and l.phone = ? order by m.seq`,
      [tenant.client.id, CALLER],
    );
    expect(messages.map((m) => [m.role, m.channel])).toEqual([
      ['visitor', 'sms'],
      ['ai', 'sms'],
    ]);
    expect(messages[0]?.content).toBe('Missed call (no answer)');
    await waitFor(
      async () =>
        (
          await conn().execute<{ s: string }[]>(
            `select delivery_state as s from messages where client_id = ? and role = 'ai' and content like '%missed your call%'`,
            [tenant.client.id],
          )
        )[0]?.s === 'sent',
    );
  });

  it("the lead's SMS answer continues the same conversation, and the AI answers by SMS", async () => {
    const conversation = await conn().execute<{ id: string }[]>(
      `select c.id from conversations c join leads l on l.id = c.lead_id where c.client_id = ? and l.phone = ?`,
      [tenant.client.id, CALLER],
    );
    const params = new URLSearchParams({
      ToCountry: 'US',
      SmsMessageSid: 'SM1f0e1d2c3b4a59687766554433221100',
      NumMedia: '0',
      SmsSid: 'SM1f0e1d2c3b4a59687766554433221100',
      SmsStatus: 'received',
      Body: 'Hi, I am looking to buy a 3 bedroom house',
      To: BUSINESS_NUMBER,
      NumSegments: '1',
      MessageSid: 'SM1f0e1d2c3b4a59687766554433221100',
      AccountSid: ACCOUNT_SID,
      From: CALLER,
      ApiVersion: '2010-04-01',
    }).toString();
    const res = await postTwilio('/webhooks/sms', params);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/xml/);
    expect(await res.text()).toContain('<Response>');
    // Twilio retries: the same MessageSid again stores nothing new.
    expect((await postTwilio('/webhooks/sms', params)).status).toBe(200);

    const reply = await waitFor(() => smsTo(CALLER)[0]);
    expect(reply.form?.From).toBe(BUSINESS_NUMBER);
    expect(reply.form?.StatusCallback).toBe(`${PUBLIC_URL}/webhooks/sms/status?client=${tenant.client.id}`);
    expect((reply.form?.Body ?? '').length).toBeGreaterThan(0);
    expect((reply.form?.Body ?? '').length).toBeLessThanOrEqual(459);
    const inbound = await conn().execute<{ conversation_id: string }[]>(
      `select conversation_id from messages where client_id = ? and channel = 'sms' and external_id = ?`,
      [tenant.client.id, 'SM1f0e1d2c3b4a59687766554433221100'],
    );
    expect(inbound).toHaveLength(1);
    expect(inbound[0]?.conversation_id).toBe(conversation[0]?.id);

    // Twilio's status callback for our reply.
    const ai = await waitFor(async () =>
      (
        await conn().execute<{ id: string; external_id: string | null }[]>(
          `select id, external_id from messages where conversation_id = ? and role = 'ai' order by seq desc limit 1`,
          [inbound[0]?.conversation_id],
        )
      ).find((m) => m.external_id?.startsWith('SM')),
    );
    const status = new URLSearchParams({
      MessageSid: ai.external_id ?? '',
      MessageStatus: 'delivered',
      To: CALLER,
      From: BUSINESS_NUMBER,
      AccountSid: ACCOUNT_SID,
    });
    expect((await postTwilio('/webhooks/sms/status', status.toString())).status).toBe(200);
    const state = await conn().execute<{ delivery_state: string }[]>(
      'select delivery_state from messages where id = ?',
      [ai.id],
    );
    expect(state[0]?.delivery_state).toBe('delivered');
  });

  it('refuses forged or unsigned Twilio requests and stores nothing; ignores calls that were answered', async () => {
    const before = [await count('leads'), await count('messages')];
    const url = `/webhooks/missed-call?client=${tenant.client.slug}`;
    const busy = form('voice-status-callback-busy.form').toString().replace('CallSid=CA9b6e', 'CallSid=CA0000');
    expect((await postTwilio(url, busy, { signature: null })).status).toBe(401);
    expect((await postTwilio(url, busy, { token: 'not-the-auth-token-00000000000000' })).status).toBe(401);
    // Signed, then tampered.
    const sig = signTwilioRequest(AUTH_TOKEN, `${PUBLIC_URL}${url}`, parseForm(Buffer.from(busy)));
    expect((await postTwilio(url, busy.replace('%2B14155550142', '%2B14155550199'), { signature: sig })).status).toBe(
      401,
    );
    // Signed for another URL (another tenant's webhook).
    expect(
      (
        await postTwilio(url, busy, {
          signature: signTwilioRequest(
            AUTH_TOKEN,
            `${PUBLIC_URL}/webhooks/missed-call?client=other`,
            parseForm(Buffer.from(busy)),
          ),
        })
      ).status,
    ).toBe(401);
    const sms = new URLSearchParams({
      From: '+14155550111',
      To: BUSINESS_NUMBER,
      Body: 'hi',
      MessageSid: 'SMforged',
    }).toString();
    expect((await postTwilio('/webhooks/sms', sms, { signature: null })).status).toBe(401);
    expect((await postTwilio('/webhooks/sms', sms, { token: 'wrong-token-wrong-token-00000000' })).status).toBe(401);
    const completed = busy.replace('CallStatus=busy', 'CallStatus=completed');
    const answered = await postTwilio(url, completed);
    expect(await answered.json()).toMatchObject({ ok: true, handled: false });
    expect([await count('leads'), await count('messages')]).toEqual(before);
    expect(twilio.requests).toHaveLength(0);
  });

  it('stores a signed SMS whose text holds U+0000 without it, instead of failing', async () => {
    const sid = 'SM00nul0000000000000000000000000aa';
    const params = new URLSearchParams({
      Body: 'Is the flat\u0000 still available?',
      To: BUSINESS_NUMBER,
      From: '+14155550199',
      MessageSid: sid,
      AccountSid: ACCOUNT_SID,
      NumMedia: '0',
    }).toString();
    expect(params).toContain('%00');
    expect((await postTwilio('/webhooks/sms', params)).status).toBe(200);
    const stored = await conn().execute<{ content: string }[]>(
      `select content from messages where client_id = ? and channel = 'sms' and external_id = ?`,
      [tenant.client.id, sid],
    );
    expect(stored.map((m) => m.content)).toEqual(['Is the flat still available?']);
  });

  it('accepts a signed generic JSON missed call, and refuses a bad signature', async () => {
    const url = `${base}/webhooks/missed-call?client=${tenant.client.id}`;
    const body = JSON.stringify({ callId: 'pbx-7781', from: '+1 415 555 0163', status: 'missed' });
    const bad = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature-256': signGenericBody(body, 'wrong') },
      body,
    });
    expect(bad.status).toBe(401);
    const sign = signGenericBody(body, 'generic-telephony-secret-0123456789');
    const ok = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature-256': sign },
      body,
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ handled: true, followUp: 'sms', duplicate: false });
    const again = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature-256': sign },
      body,
    });
    expect(await again.json()).toMatchObject({ duplicate: true });
    await waitFor(() => smsTo('+14155550163')[0]);
    await new Promise((r) => setTimeout(r, 500));
    expect(smsTo('+14155550163')).toHaveLength(1);
  });

  it('sends the WhatsApp follow-up template instead of an SMS when WhatsApp is connected', async () => {
    const other = await createClient(server.db.orm.em.fork(), { name: 'Blue Bay Hotel', industry: 'hotel' });
    expect(
      (
        await api(other, '/channels/twilio', {
          accountSid: ACCOUNT_SID,
          authToken: AUTH_TOKEN,
          phoneNumber: '+14155550188',
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await api(other, '/channels/whatsapp', {
          phoneNumberId: '555000111222',
          accessToken: 'EAAG-other-token',
          followUpTemplate: { name: 'missed_call', language: 'en', parameters: ['business_name'] },
        })
      ).status,
    ).toBe(200);
    const url = `/webhooks/missed-call?client=${other.client.slug}`;
    const res = await postTwilio(url, form('voice-status-callback-no-answer.DERIVED.form'));
    // outbound-api: the business called the lead (To) and got no answer.
    expect(await res.json()).toMatchObject({ handled: true, followUp: 'whatsapp' });
    const template = await waitFor(() => graph.sent()[0]);
    expect(template.path).toBe('/v21.0/555000111222/messages');
    expect(template.json).toMatchObject({
      to: '14155550142',
      type: 'template',
      template: {
        name: 'missed_call',
        language: { code: 'en' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'Blue Bay Hotel' }] }],
      },
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(graph.sent()).toHaveLength(1);
    expect(twilio.requests).toHaveLength(0);
  });
});
