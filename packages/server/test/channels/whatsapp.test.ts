import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signMetaBody } from '../../src/channels/whatsapp/verify-signature.js';
import { createClient } from '../../src/tenants/tenant-service.js';
import { DB_KINDS } from '../support/databases.js';
import {
  type FakeHttpProvider,
  type RecordedRequest,
  startFakeGraphApi,
  textOf,
  waitFor,
  wamid,
} from '../support/fake-providers.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const APP_SECRET = 'lead-desk-fixture-app-secret';
const PHONE_NUMBER_ID = '106540352242922';
const ACCESS_TOKEN = 'EAAGfixture-access-token-9f3k';
const fixture = (name: string) =>
  JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../fixtures/whatsapp', name), 'utf8'));

/** Meta's documented text-message webhook with our own wamid, text and sender. */
function textWebhook(options: { id?: string; text: string; from?: string; phoneNumberId?: string; name?: string }) {
  const body = fixture('webhook-text-message.json');
  const value = body.entry[0].changes[0].value;
  value.metadata.phone_number_id = options.phoneNumberId ?? PHONE_NUMBER_ID;
  const from = options.from ?? '16505551234';
  value.contacts[0].wa_id = from;
  if (options.name) value.contacts[0].profile.name = options.name;
  value.messages[0].from = from;
  value.messages[0].id = options.id ?? wamid();
  value.messages[0].text.body = options.text;
  value.messages[0].timestamp = String(Math.floor(Date.now() / 1000));
  return body;
}

function statusWebhook(file: string, id: string) {
  const body = fixture(file);
  const value = body.entry[0].changes[0].value;
  value.metadata.phone_number_id = PHONE_NUMBER_ID;
  value.statuses[0].id = id;
  return body;
}

describe.each(DB_KINDS)('WhatsApp Cloud API channel on %s', (kind) => {
  let server: TestServer;
  let graph: FakeHttpProvider & { sent(): RecordedRequest[] };
  let tenant: Awaited<ReturnType<typeof createClient>>;
  let base: string;
  const conn = () => server.db.orm.em.getConnection();
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await conn().execute<{ n: string }[]>(`select count(*) as n from ${sql}`, params))[0]?.n);
  const post = (body: unknown, init: { signature?: string | null; raw?: string; query?: string } = {}) => {
    const raw = init.raw ?? JSON.stringify(body);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const signature = init.signature === undefined ? signMetaBody(raw, APP_SECRET) : init.signature;
    if (signature) headers['x-hub-signature-256'] = signature;
    return fetch(`${base}/webhooks/whatsapp${init.query ?? ''}`, { method: 'POST', headers, body: raw });
  };
  const api = (p: string, init: RequestInit = {}) =>
    fetch(`${base}/api/v1${p}`, {
      ...init,
      headers: { authorization: `Bearer ${tenant.apiKey}`, 'content-type': 'application/json', ...init.headers },
    });
  const messageByWamid = (id: string) =>
    conn().execute<{ id: string; conversation_id: string; content: string; role: string }[]>(
      `select id, conversation_id, content, role from messages where client_id = ? and channel = 'whatsapp' and external_id = ?`,
      [tenant.client.id, id],
    );
  const sentTo = (to: string) => graph.sent().filter((r) => r.json?.to === to);

  beforeAll(async () => {
    graph = await startFakeGraphApi();
    server = await startTestServer({
      db: kind,
      env: {
        META_APP_SECRET: APP_SECRET,
        META_GRAPH_BASE_URL: graph.url,
        META_VERIFY_TOKEN: 'platform-verify-token',
        STRUCTURED_CHUNK_DELAY_MS: '0',
        OUTBOUND_SWEEP_INTERVAL_MS: '300',
      },
    });
    base = `http://127.0.0.1:${server.port}`;
    tenant = await createClient(server.db.orm.em.fork(), { name: 'Sunset Dental', industry: 'dental' });
    const res = await api('/channels/whatsapp', {
      method: 'PUT',
      body: JSON.stringify({
        phoneNumberId: PHONE_NUMBER_ID,
        accessToken: ACCESS_TOKEN,
        verifyToken: 'tenant-verify-token',
        followUpTemplate: { name: 'missed_you', language: 'en_US', parameters: ['lead_name', 'business_name'] },
      }),
    });
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    await server?.dispose();
    await graph?.close();
  });
  beforeEach(() => graph.reset());

  it('answers Meta verification with the challenge as plain text, and 403 for a wrong token', async () => {
    const ok = await fetch(
      `${base}/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=platform-verify-token`,
    );
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await ok.text()).toBe('1158201444');
    const tenantToken = await fetch(
      `${base}/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=42&hub.verify_token=tenant-verify-token&client=${tenant.client.slug}`,
    );
    expect(await tenantToken.text()).toBe('42');
    const viaHash = await fetch(
      `${base}/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=43&hub.verify_token=tenant-verify-token`,
    );
    expect(await viaHash.text()).toBe('43');
    for (const q of [
      'hub.mode=subscribe&hub.challenge=1&hub.verify_token=wrong',
      'hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=platform-verify-token',
      'hub.mode=subscribe&hub.verify_token=platform-verify-token',
      `hub.mode=subscribe&hub.challenge=1&hub.verify_token=platform-verify-token&client=${tenant.client.slug}`,
    ]) {
      expect((await fetch(`${base}/webhooks/whatsapp?${q}`)).status).toBe(403);
    }
  });

  it('stores credentials encrypted and never shows them, only whether set and the last 4 characters', async () => {
    const res = await api('/channels');
    const text = await res.text();
    expect(text).not.toContain(ACCESS_TOKEN);
    expect(JSON.parse(text).whatsapp).toMatchObject({
      configured: true,
      phoneNumberId: PHONE_NUMBER_ID,
      accessToken: { set: true, last4: 'f3k'.padStart(4, '9') },
      verifyToken: { set: true, last4: 'oken' },
      appSecret: { set: false },
    });
    const stored = await conn().execute<{ s: string }[]>(
      'select channel_settings::text as s from clients where id = ?',
      [tenant.client.id],
    );
    expect(stored[0]?.s).not.toContain(ACCESS_TOKEN);
    expect(stored[0]?.s).not.toContain('tenant-verify-token');
    expect(stored[0]?.s).toMatch(/"accessToken": ?"v1\./);
    const bad = await api('/channels/whatsapp', { method: 'PUT', body: JSON.stringify({ phoneNumberId: 'abc' }) });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/phoneNumberId/);
  });

  it('refuses unsigned, forged and tampered webhooks with 401 and stores nothing', async () => {
    const before = [await count('webhook_events'), await count('messages where client_id = ?', [tenant.client.id])];
    const body = textWebhook({ text: 'forged hello' });
    const raw = JSON.stringify(body);
    expect((await post(body, { signature: null })).status).toBe(401);
    expect((await post(body, { signature: signMetaBody(raw, 'not-the-secret') })).status).toBe(401);
    expect((await post(body, { signature: 'sha256=abc' })).status).toBe(401);
    // Signed, then one character changed in transit.
    const tampered = raw.replace('forged hello', 'forged hellO');
    const res = await post(null, { raw: tampered, signature: signMetaBody(raw, APP_SECRET) });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_signature');
    expect([await count('webhook_events'), await count('messages where client_id = ?', [tenant.client.id])]).toEqual(
      before,
    );
    expect(graph.requests).toHaveLength(0);
  });

  it('stores an inbound text with the profile name and wa_id, marks it read, and posts the reply to the Graph API', async () => {
    const id = wamid();
    const res = await post(textWebhook({ id, text: 'Hi, do you offer teeth whitening?', name: 'Sheena Nelson' }));
    expect(res.status).toBe(200);
    const stored = await waitFor(async () => (await messageByWamid(id))[0]);
    expect(stored).toMatchObject({ role: 'visitor', content: 'Hi, do you offer teeth whitening?' });
    const lead = await conn().execute<
      { name: string; phone: string; handles: Record<string, string>; source: string }[]
    >(
      'select l.name, l.phone, l.handles, l.source from leads l join conversations c on c.lead_id = l.id where c.id = ?',
      [stored.conversation_id],
    );
    expect(lead[0]).toMatchObject({ name: 'Sheena Nelson', phone: '+16505551234', source: 'whatsapp' });
    expect(lead[0]?.handles.whatsapp).toBe('16505551234');

    const reply = await waitFor(() => sentTo('16505551234')[0]);
    expect(reply.path).toBe(`/v21.0/${PHONE_NUMBER_ID}/messages`);
    expect(reply.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(reply.json).toMatchObject({ messaging_product: 'whatsapp', recipient_type: 'individual' });
    // Plain text, or reply buttons when the engine offers choices.
    expect(['text', 'interactive']).toContain(reply.json?.type);
    expect(textOf(reply).length).toBeGreaterThan(0);
    const read = graph.requests.find((r) => r.json?.status === 'read');
    expect(read?.json).toEqual({ messaging_product: 'whatsapp', status: 'read', message_id: id });

    // The AI message records the wamid it went out as, and its delivery state.
    const ai = await waitFor(async () => {
      const rows = await conn().execute<{ delivery_state: string; external_id: string | null; content: string }[]>(
        `select delivery_state, external_id, content from messages where conversation_id = ? and role = 'ai'`,
        [stored.conversation_id],
      );
      return rows[0]?.delivery_state === 'sent' ? rows[0] : undefined;
    });
    expect(ai.external_id).toMatch(/^wamid\./);
    const allParts = sentTo('16505551234')
      .map((r) => textOf(r))
      .join(' ');
    expect(allParts.replace(/\s+/g, ' ')).toBe(ai.content.replace(/\s+/g, ' ').trim());
  });

  it('an AI reply stored but never queued (a crash in between) is found by the sweep and sent once', async () => {
    const [conversation] = await conn().execute<{ id: string; client_id: string }[]>(
      `select c.id, c.client_id from conversations c join leads l on l.id = c.lead_id
       where l.phone = '+16505551234' and c.channel = 'whatsapp' limit 1`,
    );
    expect(conversation).toBeDefined();
    graph.reset();
    // What a process killed between storing a reply and queueing it leaves behind.
    const [orphan] = await conn().execute<{ id: string }[]>(
      `with next as (
         update conversations set last_seq = last_seq + 1 where id = ? returning id, client_id, last_seq
       )
       insert into messages (id, client_id, conversation_id, seq, role, content, attachments, channel, delivery_state, created_at)
       select gen_random_uuid(), client_id, id, last_seq, 'ai', 'Our hygienist has a free slot on Friday.', '[]', 'whatsapp',
              'pending', now() - interval '1 minute'
       from next returning id`,
      [conversation?.id],
    );
    const sent = await waitFor(
      () => sentTo('16505551234').find((r) => textOf(r).includes('free slot on Friday')),
      10_000,
    );
    expect(sent.json?.type).toBe('text');
    const state = await waitFor(async () => {
      const [row] = await conn().execute<{ delivery_state: string }[]>(
        'select delivery_state from messages where id = ?',
        [orphan?.id],
      );
      return row?.delivery_state === 'sent' ? row : undefined;
    });
    expect(state.delivery_state).toBe('sent');
    // Later sweeps do not send it again.
    await new Promise((r) => setTimeout(r, 1000));
    expect(sentTo('16505551234').filter((r) => textOf(r).includes('free slot on Friday'))).toHaveLength(1);
  });

  it('a webhook delivered five times, also concurrently, makes one message and one reply', async () => {
    const id = wamid();
    const from = '16505550101';
    const body = textWebhook({ id, text: 'What are your opening hours?', from });
    const raw = JSON.stringify(body);
    // Identical bytes (collapse at the event store) and re-serialised variants (collapse on the wamid in the core).
    const variants = [raw, raw, JSON.stringify(body, null, 1), JSON.stringify(body, null, 2), `${raw}\n`];
    const results = await Promise.all(variants.map((v) => post(null, { raw: v })));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    for (let i = 0; i < 5; i++) expect((await post(null, { raw })).status).toBe(200);
    await waitFor(() => sentTo(from).length > 0);
    await new Promise((r) => setTimeout(r, 1500));
    await server.app.conversation.orchestrator.idle();
    expect(await messageByWamid(id)).toHaveLength(1);
    const conversationId = (await messageByWamid(id))[0]?.conversation_id;
    expect(await count(`messages where conversation_id = ? and role = 'ai'`, [conversationId])).toBe(1);
    const ai = await conn().execute<{ delivery_refs: string[] }[]>(
      `select delivery_refs from messages where conversation_id = ? and role = 'ai'`,
      [conversationId],
    );
    expect(sentTo(from)).toHaveLength(ai[0]?.delivery_refs.length ?? -1);
  });

  it('status webhooks update the delivery state, out of order without downgrading, and record failures', async () => {
    const from = '16505550202';
    const id = wamid();
    await post(textWebhook({ id, text: 'Hello there', from }));
    await waitFor(() => sentTo(from).length > 0);
    const conversationId = (await waitFor(async () => (await messageByWamid(id))[0])).conversation_id;
    const ai = await waitFor(async () => {
      const rows = await conn().execute<{ id: string; external_id: string; delivery_state: string }[]>(
        `select id, external_id, delivery_state from messages where conversation_id = ? and role = 'ai'`,
        [conversationId],
      );
      return rows[0]?.delivery_state === 'sent' ? rows[0] : undefined;
    });
    const state = async () =>
      (
        await conn().execute<{ delivery_state: string; delivery_error: { code: number; message: string } | null }[]>(
          'select delivery_state, delivery_error from messages where id = ?',
          [ai.id],
        )
      )[0];
    const updates: string[] = [];
    const off = server.app.conversation.core.events.on('message.delivery_updated', (e) => {
      if (e.messageId === ai.id) updates.push(e.deliveryState);
    });
    try {
      expect((await post(statusWebhook('webhook-status-read.DERIVED.json', ai.external_id))).status).toBe(200);
      await waitFor(async () => (await state())?.delivery_state === 'read');
      // "delivered" arrives after "read": ignored.
      await post(statusWebhook('webhook-status-delivered.DERIVED.json', ai.external_id));
      await post(statusWebhook('webhook-status-sent.json', ai.external_id));
      await new Promise((r) => setTimeout(r, 1200));
      expect((await state())?.delivery_state).toBe('read');
      expect(updates).toEqual(['read']);

      await post(statusWebhook('webhook-status-failed-131047.DERIVED.json', ai.external_id));
      const failed = await waitFor(async () => {
        const s = await state();
        return s?.delivery_state === 'failed' ? s : undefined;
      });
      expect(failed.delivery_error?.code).toBe(131047);
      expect(failed.delivery_error?.message).toMatch(/24 hours/);
      expect(updates).toEqual(['read', 'failed']);
    } finally {
      off();
    }
  });

  it('outside the 24-hour window only the follow-up template is sent', async () => {
    const from = '16505550303';
    const id = wamid();
    await post(textWebhook({ id, text: 'Hi', from, name: 'Rosa Diaz' }));
    const inbound = await waitFor(async () => (await messageByWamid(id))[0]);
    await waitFor(() => sentTo(from).length > 0);
    await server.app.conversation.orchestrator.idle();
    // Two days pass without the lead writing.
    await conn().execute(
      `update messages set created_at = now() - interval '48 hours' where conversation_id = ? and role = 'visitor'`,
      [inbound.conversation_id],
    );
    graph.reset();
    const staff = await server.app.conversation.core.appendMessage({
      clientId: tenant.client.id,
      conversationId: inbound.conversation_id,
      role: 'staff',
      content: 'Hi Rosa, just checking whether you still want the whitening appointment?',
    });
    await server.app.conversation.outbound.get('whatsapp')?.send({
      client: tenant.client,
      lead: null,
      conversationId: inbound.conversation_id,
      message: staff,
    });
    await waitFor(() => sentTo(from).length > 0);
    await new Promise((r) => setTimeout(r, 300));
    const sent = sentTo(from);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.json).toMatchObject({
      type: 'template',
      template: {
        name: 'missed_you',
        language: { code: 'en_US' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Rosa' },
              { type: 'text', text: 'Sunset Dental' },
            ],
          },
        ],
      },
    });
    expect(sent.some((r) => r.json?.type === 'text')).toBe(false);
  });

  it('sends a long reply as a few sentence-sized messages, retries 429/5xx, and stops on a permanent error shown on the message', async () => {
    const from = '16505550404';
    const id = wamid();
    await post(textWebhook({ id, text: 'Hello', from }));
    const inbound = await waitFor(async () => (await messageByWamid(id))[0]);
    await waitFor(() => sentTo(from).length > 0);
    await server.app.conversation.orchestrator.idle();
    const send = async (content: string) => {
      const message = await server.app.conversation.core.appendMessage({
        clientId: tenant.client.id,
        conversationId: inbound.conversation_id,
        role: 'staff',
        content,
      });
      await server.app.conversation.outbound.get('whatsapp')?.send({
        client: tenant.client,
        lead: null,
        conversationId: inbound.conversation_id,
        message,
      });
      return message.id;
    };
    const row = (messageId: string) =>
      conn().execute<{ delivery_state: string; delivery_error: { code: number } | null; delivery_refs: string[] }[]>(
        'select delivery_state, delivery_error, delivery_refs from messages where id = ?',
        [messageId],
      );

    graph.reset();
    const long =
      'Teeth whitening at Sunset Dental takes about an hour and is done by our hygienists. ' +
      'Most patients see results after one visit, and we give you a take-home kit for touch-ups. ' +
      'The price is 299 dollars, and we offer a payment plan over three months. ' +
      'We have openings on Tuesday and Thursday afternoons this week. Would either of those work for you?';
    // The first attempt meets a 429 and the retry a 500: both retried, nothing sent twice.
    graph.failNext({ status: 429, body: fixture('error-130429-rate-limit.json') });
    graph.failNext({ status: 500, body: { error: { message: 'An unknown error occurred', code: 1 } } });
    const longId = await send(long);
    const done = await waitFor(
      async () => ((await row(longId))[0]?.delivery_state === 'sent' ? (await row(longId))[0] : undefined),
      15_000,
    );
    const texts = sentTo(from)
      .filter((r) => r.json?.type === 'text')
      .map((r) => textOf(r));
    expect(texts.length).toBeGreaterThanOrEqual(2);
    expect(texts.length).toBeLessThanOrEqual(4);
    expect(new Set(texts).size).toBe(texts.length);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(320);
    expect(texts.join(' ')).toBe(long);
    expect(done?.delivery_refs).toHaveLength(texts.length);
    expect(graph.requests.filter((r) => r.status === 429 || r.status === 500)).toHaveLength(2);

    graph.reset();
    graph.failNext({ status: 400, body: fixture('error-131047-reengagement.COMPOSED.json') });
    const failedId = await send('Are you still there?');
    const failed = await waitFor(async () =>
      (await row(failedId))[0]?.delivery_state === 'failed' ? (await row(failedId))[0] : undefined,
    );
    expect(failed?.delivery_error?.code).toBe(131047);
    await new Promise((r) => setTimeout(r, 1200));
    // One attempt only: a permanent error is not retried.
    expect(graph.requests.filter((r) => r.json?.to === from)).toHaveLength(1);
    expect(sentTo(from)).toHaveLength(0);
  });

  it("sends an AI reply's quick replies as reply buttons, and the lead's tap comes back as its id", async () => {
    const from = '16505550707';
    const id = wamid();
    await post(textWebhook({ id, text: 'Hi', from }));
    const inbound = await waitFor(async () => (await messageByWamid(id))[0]);
    await waitFor(() => sentTo(from).length > 0);
    await server.app.conversation.orchestrator.idle();
    graph.reset();
    const message = await server.app.conversation.core.appendMessage({
      clientId: tenant.client.id,
      conversationId: inbound.conversation_id,
      role: 'ai',
      content: 'Is this for a check-up or a treatment?',
      ai: {
        quickReplies: [
          { id: 'checkup', label: 'Check-up' },
          { id: 'treatment', label: 'Treatment' },
        ],
      },
    });
    await server.app.conversation.outbound.get('whatsapp')?.send({
      client: tenant.client,
      lead: null,
      conversationId: inbound.conversation_id,
      message,
    });
    const sent = await waitFor(() => sentTo(from)[0]);
    expect(sent.json).toMatchObject({
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'Is this for a check-up or a treatment?' },
        action: {
          buttons: [
            { type: 'reply', reply: { id: 'checkup', title: 'Check-up' } },
            { type: 'reply', reply: { id: 'treatment', title: 'Treatment' } },
          ],
        },
      },
    });
    const tap = fixture('webhook-interactive-button-reply.json');
    const value = tap.entry[0].changes[0].value;
    value.metadata.phone_number_id = PHONE_NUMBER_ID;
    value.contacts[0].wa_id = from;
    value.messages[0].from = from;
    value.messages[0].id = wamid();
    value.messages[0].interactive.button_reply = { id: 'checkup', title: 'Check-up' };
    await post(tap);
    const stored = await waitFor(async () => (await messageByWamid(value.messages[0].id))[0]);
    expect(stored).toMatchObject({ role: 'visitor', content: 'Check-up', conversation_id: inbound.conversation_id });
  });

  it("stores Meta's documented image message as an attachment with its media id and caption", async () => {
    const body = fixture('webhook-image-message.json');
    const value = body.entry[0].changes[0].value;
    value.metadata.phone_number_id = PHONE_NUMBER_ID;
    value.contacts[0].wa_id = '16505550808';
    value.messages[0].from = '16505550808';
    expect((await post(body)).status).toBe(200);
    const stored = await waitFor(
      async () =>
        (
          await conn().execute<{ content: string; attachments: Array<Record<string, unknown>> }[]>(
            `select content, attachments from messages where client_id = ? and external_id = ?`,
            [tenant.client.id, value.messages[0].id],
          )
        )[0],
    );
    expect(stored.content).toBe('Taj Mahal');
    expect(stored.attachments).toEqual([
      {
        kind: 'image',
        mediaId: '1003383421387256',
        mimeType: 'image/jpeg',
        meta: { sha256: 'SfInY0gGKTsJlUWbwxC1k+FAD0FZHvzwfpvO0zX0GUI=' },
      },
    ]);
  });

  it('sends staff attachments as media messages before the text', async () => {
    const from = '16505550909';
    const id = wamid();
    await post(textWebhook({ id, text: 'Can you send me your price list?', from }));
    const inbound = await waitFor(async () => (await messageByWamid(id))[0]);
    await waitFor(() => sentTo(from).length > 0);
    await server.app.conversation.orchestrator.idle();
    graph.reset();
    const message = await server.app.conversation.core.appendMessage({
      clientId: tenant.client.id,
      conversationId: inbound.conversation_id,
      role: 'staff',
      content: 'Here is our price list.',
      attachments: [{ kind: 'document', url: 'https://sunset.example/prices.pdf', name: 'prices.pdf' }],
    });
    await server.app.conversation.outbound.get('whatsapp')?.send({
      client: tenant.client,
      lead: null,
      conversationId: inbound.conversation_id,
      message,
    });
    await waitFor(() => sentTo(from).length === 2);
    expect(sentTo(from).map((r) => r.json?.type)).toEqual(['document', 'text']);
    expect(sentTo(from)[0]?.json?.document).toEqual({ link: 'https://sunset.example/prices.pdf' });
    // The second part's id is recorded once its Graph response is handled, just after the request.
    const refs = await waitFor(async () => {
      const rows = await conn().execute<{ delivery_refs: string[] }[]>(
        'select delivery_refs from messages where id = ?',
        [message.id],
      );
      return rows[0]?.delivery_refs?.length === 2 ? rows[0].delivery_refs : undefined;
    });
    expect(refs).toHaveLength(2);
  });

  it('processes a stored event whose enqueue was lost (a crash between storing and enqueueing)', async () => {
    const id = wamid();
    const raw = Buffer.from(JSON.stringify(textWebhook({ id, text: 'Are you open on Sunday?', from: '16505550606' })));
    const inbox = server.app.channels.whatsappInbox;
    expect(await inbox.store(raw, null)).toBe(true);
    expect(await inbox.store(raw, null)).toBe(false);
    // What the periodic sweep's drain does (a drain job already running may take it first: same result).
    await inbox.drain();
    await waitFor(async () => (await messageByWamid(id)).length === 1);
    await waitFor(() => sentTo('16505550606').length > 0);
    const event = await conn().execute<{ processed_at: Date | null; attempts: number }[]>(
      'select processed_at, attempts from webhook_events where payload like ?',
      [`%${id}%`],
    );
    expect(event[0]?.processed_at).toBeTruthy();
    // The attempt is counted when the event is claimed (a crash mid-processing counts too).
    expect(event[0]?.attempts).toBe(1);
  });

  it('acknowledges a webhook for an unknown phone number id and stores nothing under any tenant', async () => {
    const other = await createClient(server.db.orm.em.fork(), { name: 'Other Hotel', industry: 'hotel' });
    const id = wamid();
    const res = await post(textWebhook({ id, text: 'Hello?', phoneNumberId: '999999999999', from: '16505550505' }));
    expect(res.status).toBe(200);
    await waitFor(async () => {
      const rows = await conn().execute<{ processed_at: Date | null }[]>(
        `select processed_at from webhook_events where payload like ?`,
        [`%${id}%`],
      );
      return rows[0]?.processed_at ?? undefined;
    });
    expect(await count('messages where external_id = ?', [id])).toBe(0);
    expect(await count('leads where phone = ?', ['+16505550505'])).toBe(0);
    expect(await count('leads where client_id = ?', [other.client.id])).toBe(0);
    expect(sentTo('16505550505')).toHaveLength(0);
  });
});
