import { createHmac, randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/passwords.js';
import { signGenericBody } from '../../src/channels/missed-call/missed-call-routes.js';
import { signTwilioRequest } from '../../src/channels/sms/twilio-signature.js';
import { User } from '../../src/db/entities/index.js';
import { createClient } from '../../src/tenants/tenant-service.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Text PostgreSQL cannot store (U+0000, unpaired surrogates) on every write
 * path of the issue: refused with a 400 (or a socket ack error) naming the
 * field, nothing changed; kept, stripped, when a signed provider sent it.
 */

const META_SECRET = 'text-meta-app-secret';
const TELEPHONY_SECRET = 'text-telephony-secret-0123456789';
const TWILIO_TOKEN = 'text-twilio-auth-token-0123';
const ORIGIN = 'http://text.example';

describe('unstorable text at the edge', () => {
  let server: TestServer;
  let apiKey: string;
  let siteKey: string;
  let slug: string;
  let staffToken: string;
  let conversationId: string;
  let kbId: string;

  const api = async (method: string, path: string, body?: unknown, token = apiKey) => {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const count = async (table: string) => {
    const rows = await server.db.orm.em
      .getConnection()
      .execute<{ n: string }[]>(`select count(*)::text as n from "${table}"`);
    return Number(rows[0]?.n);
  };
  const socketAck = async (socket: Socket, event: string, payload: unknown) =>
    (await socket.timeout(5000).emitWithAck(event, payload)) as {
      ok: boolean;
      error?: { code: string; message: string };
    };

  beforeAll(async () => {
    server = await startTestServer({
      env: {
        APP_SECRET: 'text-app-secret-that-is-long-enough-0123456789',
        META_APP_SECRET: META_SECRET,
        TELEPHONY_WEBHOOK_SECRET: TELEPHONY_SECRET,
        META_GRAPH_BASE_URL: 'http://127.0.0.1:9/v21.0',
        TWILIO_BASE_URL: 'http://127.0.0.1:9',
      },
    });
    const em = server.db.orm.em.fork();
    const created = await createClient(em, { name: 'Text Dental', industry: 'dental', allowedOrigins: [ORIGIN] });
    apiKey = created.apiKey;
    siteKey = created.client.siteKey;
    slug = created.client.slug;
    const password = `Velvet-Harbor-${randomUUID().slice(0, 8)}-Quartz`;
    em.create(User, {
      id: randomUUID(),
      client: created.client.id,
      email: 'text-admin@example.com',
      name: 'Text Admin',
      role: 'admin',
      passwordHash: await hashPassword(password),
      emailVerifiedAt: new Date(),
      backupCodeHashes: [],
    });
    await em.flush();
    const login = await api('POST', '/auth/login', {
      email: 'text-admin@example.com',
      password,
      tokenTransport: 'body',
    });
    staffToken = login.body.accessToken;
    expect(
      (await api('PUT', '/channels/whatsapp', { phoneNumberId: '123450001', accessToken: 'wa-token' })).status,
    ).toBe(200);
    const twilio = await api('PUT', '/channels/twilio', {
      accountSid: `AC${'0123456789abcdef'.repeat(2)}`,
      authToken: TWILIO_TOKEN,
      phoneNumber: '+14155550100',
    });
    expect(twilio.status).toBe(200);
    kbId = (await api('POST', '/knowledge-bases', { name: 'Text KB' })).body.id;
    await fetch(`${server.url}/webhooks/web-form`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ siteKey, name: 'Real', email: 'real@example.com', message: 'Hello' }),
    });
    conversationId = (await api('GET', '/conversations')).body.data[0].id;
  }, 120_000);
  afterAll(async () => {
    await server?.dispose();
  });

  it('PATCH /client: a NUL in the configuration is a 400 naming the field, and nothing changes', async () => {
    const before = (await api('GET', '/client')).body;
    const res = await api('PATCH', '/client', { name: 'Renamed', config: { customInstructions: 'be\u0000nice' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.message).toContain('config.customInstructions');
    expect(res.body.error.message).toContain('U+0000');
    const key = await api('PATCH', '/client', { config: { channelTone: { 'web\u0000': 'x' } } });
    expect(key.status).toBe(400);
    expect(key.body.error.message).toContain('field name');
    const after = (await api('GET', '/client')).body;
    expect(after.name).toBe(before.name);
    expect(after.config).toEqual(before.config);
  });

  it('knowledge bases and FAQs: NUL and lone surrogates are refused, no row stored', async () => {
    const kbs = await count('knowledge_bases');
    const chunks = await count('knowledge_chunks');
    const kb = await api('POST', '/knowledge-bases', { name: 'Prices\u0000' });
    expect(kb.status).toBe(400);
    expect(kb.body.error.message).toMatch(/name: .*U\+0000/);
    const faq = await api('POST', `/knowledge-bases/${kbId}/faqs`, { question: 'Open on \ud800?', answer: 'Yes' });
    expect(faq.status).toBe(400);
    expect(faq.body.error.message).toMatch(/question: .*surrogate/);
    expect(await count('knowledge_bases')).toBe(kbs);
    expect(await count('knowledge_chunks')).toBe(chunks);
  });

  it('document upload: NUL in the file text and name never reach the database', async () => {
    const form = new FormData();
    form.append(
      'file',
      new Blob([Buffer.from('# Prices\n\nA cleaning costs 80 euros.\u0000 Whitening costs 200.\n')], {
        type: 'text/markdown',
      }),
      'prices.md',
    );
    const res = await fetch(`${server.url}/api/v1/knowledge-bases/${kbId}/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}` },
      body: form,
    });
    // A NUL byte makes a text file binary data: refused before anything is parsed or stored.
    expect(res.status).toBe(415);
    const named = new FormData();
    named.append('file', new Blob(['plain text']), 'prices\u0000.txt');
    const badName = await fetch(`${server.url}/api/v1/knowledge-bases/${kbId}/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}` },
      body: named,
    });
    expect(badName.status).toBe(400);
    const fields = new FormData();
    fields.append('sourceId', 'doc\u0000');
    fields.append('file', new Blob(['plain text']), 'a.txt');
    const refused = await fetch(`${server.url}/api/v1/knowledge-bases/${kbId}/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}` },
      body: fields,
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('sourceId');
  });

  it('lead search: ?q=%00 is a 400 naming q, not a 500', async () => {
    const res = await api('GET', '/leads?q=%00');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('q:');
    const inbox = await api('GET', '/inbox?q=a%00', undefined, staffToken);
    expect(inbox.status).toBe(400);
    expect((await api('GET', '/leads?q=Real')).status).toBe(200);
    const path = await fetch(`${server.url}/api/v1/leads/%00`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(path.status).toBe(400);
  });

  it('web form: a NUL in the name is a 400 naming it, and no lead is stored', async () => {
    const leads = await count('leads');
    const res = await fetch(`${server.url}/webhooks/web-form`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ siteKey, name: 'Ana\u0000', email: 'ana@example.com', message: 'Hi' }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain('name:');
    const form = await fetch(`${server.url}/webhooks/web-form`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `siteKey=${siteKey}&email=ana%40example.com&message=a%00b`,
    });
    expect(form.status).toBe(400);
    expect(await count('leads')).toBe(leads);
  });

  it('widget message:send and visitor:identify: an ack error naming the field, nothing stored', async () => {
    const visitor = io(`${server.url}/widget`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      auth: { siteKey },
      extraHeaders: { origin: ORIGIN },
    });
    try {
      await new Promise((resolve, reject) => {
        visitor.once('connect', () => resolve(undefined));
        visitor.once('connect_error', reject);
      });
      const messages = await count('messages');
      const sent = await socketAck(visitor, 'message:send', { clientMessageId: 'cm_text_0001', content: 'hi\u0000' });
      expect(sent.ok).toBe(false);
      expect(sent.error?.code).toBe('validation_failed');
      expect(sent.error?.message).toContain('content');
      const lone = await socketAck(visitor, 'message:send', { clientMessageId: 'cm_text_0002', content: '\udc00hi' });
      expect(lone.error?.message).toContain('surrogate');
      const identify = await socketAck(visitor, 'visitor:identify', { name: 'Ana\u0000' });
      expect(identify.error?.code).toBe('validation_failed');
      expect(await count('messages')).toBe(messages);
      const ok = await socketAck(visitor, 'message:send', { clientMessageId: 'cm_text_0003', content: 'hello' });
      expect(ok.ok).toBe(true);
    } finally {
      visitor.disconnect();
    }
    const refused = io(`${server.url}/widget`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      auth: { siteKey: `${siteKey}\u0000` },
      extraHeaders: { origin: ORIGIN },
    });
    const err = await new Promise<Error & { data?: { code: string; message: string } }>((resolve) =>
      refused.once('connect_error', resolve),
    );
    refused.disconnect();
    expect(err.data?.code).toBe('validation_failed');
    expect(err.data?.message).toContain('siteKey');
  });

  it('staff note:create and message:send: an ack error naming the field, nothing stored', async () => {
    const staff = io(`${server.url}/staff`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      auth: { token: staffToken },
    });
    try {
      await new Promise((resolve, reject) => {
        staff.once('connect', () => resolve(undefined));
        staff.once('connect_error', reject);
      });
      // Staff-authored rows only: the visitor's earlier message may still be getting its (AI) reply.
      const staffRows = async () =>
        Number(
          (
            await server.db.orm.em
              .getConnection()
              .execute<{ n: string }[]>(`select count(*)::text as n from messages where role in ('note', 'staff')`)
          )[0]?.n,
        );
      const messages = await staffRows();
      const note = await socketAck(staff, 'note:create', { conversationId, content: 'call \u0000 back' });
      expect(note.ok).toBe(false);
      expect(note.error?.message).toMatch(/content: .*U\+0000/);
      const send = await socketAck(staff, 'message:send', {
        conversationId,
        clientMessageId: 'cm_staff_0001',
        content: 'x\ud800',
      });
      expect(send.error?.code).toBe('validation_failed');
      expect(await staffRows()).toBe(messages);
    } finally {
      staff.disconnect();
    }
  });

  it('signed Twilio SMS and missed calls: the characters are stripped and the message kept', async () => {
    const url = `${server.url}/webhooks/sms?client=${slug}`;
    const params = { From: '+14155550177', To: '+14155550100', MessageSid: 'SMtext0001', Body: 'Hel\u0000lo there' };
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signTwilioRequest(TWILIO_TOKEN, url, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    expect(res.status).toBe(200);
    const stored = await server.db.orm.em
      .getConnection()
      .execute<{ content: string }[]>(`select content from messages where external_id = 'SMtext0001'`);
    expect(stored.map((m) => m.content)).toEqual(['Hello there']);

    const raw = JSON.stringify({ callId: 'call-\u0000-1', from: '+14155550178', status: 'no-answer' });
    const call = await fetch(`${server.url}/webhooks/missed-call?client=${slug}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature-256': signGenericBody(raw, TELEPHONY_SECRET) },
      body: raw,
    });
    expect(call.status).toBe(200);
    expect((await call.json()).handled).toBe(true);
  });

  it('signed WhatsApp: a NUL in the profile name is stripped, the message stored, no failure recorded', async () => {
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '1',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { phone_number_id: '123450001' },
                contacts: [{ wa_id: '14155550179', profile: { name: 'Ana\u0000Lopez\ud800' } }],
                messages: [
                  {
                    from: '14155550179',
                    id: 'wamid.text0001',
                    timestamp: '1764633600',
                    type: 'text',
                    text: { body: 'Hola\u0000' },
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    const res = await fetch(`${server.url}/webhooks/whatsapp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': `sha256=${createHmac('sha256', META_SECRET).update(body).digest('hex')}`,
      },
      body,
    });
    expect(res.status).toBe(200);
    await server.app.channels.whatsappInbox.drain();
    const conn = server.db.orm.em.getConnection();
    const lead = await conn.execute<{ name: string }[]>(`select name from leads where phone = '+14155550179'`);
    expect(lead.map((l) => l.name)).toEqual(['AnaLopez\uFFFD']);
    const message = await conn.execute<{ content: string }[]>(
      `select content from messages where external_id = 'wamid.text0001'`,
    );
    expect(message.map((m) => m.content)).toEqual(['Hola']);
    const failed = await conn.execute<{ n: string }[]>(
      `select count(*)::text as n from webhook_events where error is not null`,
    );
    expect(Number(failed[0]?.n)).toBe(0);
  });
});
