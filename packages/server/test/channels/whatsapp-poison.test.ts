import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signMetaBody } from '../../src/channels/whatsapp/verify-signature.js';
import type { IClient } from '../../src/db/entities/index.js';
import { type ApiResponse, startAuthServer } from '../auth/support.js';
import { DB_KINDS } from '../support/databases.js';
import {
  type FakeHttpProvider,
  type RecordedRequest,
  startFakeGraphApi,
  waitFor,
  wamid,
} from '../support/fake-providers.js';

/**
 * Issue 12: one bad WhatsApp webhook never costs the good ones. A signed
 * webhook with U+0000 in the contact name is stored (the NUL stripped), one
 * that cannot be processed is set aside after its attempts with its error
 * shown to the platform admin, and everything around them — in the same
 * claimed batch, the same body, or another tenant — is stored once and answered.
 *
 * The unprocessable shape: a profile name longer than `leads.name` holds
 * (varchar 200), which the database refuses on every attempt.
 */
const APP_SECRET = 'lead-desk-poison-app-secret';
const PHONE_A = '106540352242001';
const PHONE_B = '106540352242002';
const fixture = (name: string) =>
  JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../fixtures/whatsapp', name), 'utf8'));

interface WaText {
  id: string;
  from: string;
  text: string;
  name?: string;
}

/** Meta's text-message webhook with several messages (and their contacts) in one change. */
function webhook(phoneNumberId: string, messages: WaText[]) {
  const body = fixture('webhook-text-message.json');
  const value = body.entry[0].changes[0].value;
  const template = value.messages[0];
  value.metadata.phone_number_id = phoneNumberId;
  value.contacts = messages.map((m) => ({ profile: { name: m.name ?? 'Lead' }, wa_id: m.from }));
  value.messages = messages.map((m) => ({
    ...template,
    from: m.from,
    id: m.id,
    text: { body: m.text },
    timestamp: String(Math.floor(Date.now() / 1000)),
  }));
  return body;
}

const sender = (n: number) => `1650555${String(n).padStart(4, '0')}`;

describe.each(DB_KINDS)('poisoned WhatsApp webhooks on %s', (kind) => {
  let auth: Awaited<ReturnType<typeof startAuthServer>>;
  let graph: FakeHttpProvider & { sent(): RecordedRequest[] };
  let adminToken: string;
  let tenantAdminToken: string;
  const tenants: { id: string; apiKey: string; phone: string }[] = [];
  const conn = () => auth.server.db.orm.em.getConnection();
  const post = (body: unknown) => {
    const raw = JSON.stringify(body);
    return fetch(`${auth.server.url}/webhooks/whatsapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMetaBody(raw, APP_SECRET) },
      body: raw,
    });
  };
  const stored = async (ids: string[]) =>
    conn().execute<{ external_id: string; client_id: string; conversation_id: string; content: string }[]>(
      `select external_id, client_id, conversation_id, content from messages where channel = 'whatsapp' and external_id in (${ids.map(() => '?').join(', ')})`,
      ids,
    );
  const sentTo = (to: string) => graph.sent().filter((r) => r.json?.to === to);
  const eventStatus = async (like: string) =>
    (
      await conn().execute<{ id: string; status: string; attempts: number; error: string | null }[]>(
        'select id, status, attempts, error from webhook_events where payload like ?',
        [`%${like}%`],
      )
    )[0];
  // biome-ignore lint/suspicious/noExplicitAny: the dead-letter list, asserted field by field
  const deadLetters = async (): Promise<ApiResponse<{ data: any[] }>> =>
    auth.api('/admin/dead-letters?kind=webhook', { token: adminToken });

  beforeAll(async () => {
    let firstClient: IClient | undefined;
    graph = await startFakeGraphApi();
    auth = await startAuthServer({
      db: kind,
      env: {
        META_APP_SECRET: APP_SECRET,
        META_GRAPH_BASE_URL: graph.url,
        STRUCTURED_CHUNK_DELAY_MS: '0',
        WEBHOOK_MAX_ATTEMPTS: '3',
        WEBHOOK_RETRY_BASE_MS: '100',
      },
    });
    for (const [name, phone] of [
      ['Sunset Dental', PHONE_A],
      ['Casa Sol', PHONE_B],
    ] as const) {
      const { client, apiKey } = await auth.newClient(name);
      const res = await auth.api('/channels/whatsapp', {
        method: 'PUT',
        token: apiKey,
        body: { phoneNumberId: phone, accessToken: `EAAG-${name.length}-token` },
      });
      expect(res.status).toBe(200);
      tenants.push({ id: client.id, apiKey, phone });
      firstClient ??= client;
    }
    const root = await auth.createStaff({ client: null, role: 'super_admin' });
    adminToken = (await auth.login(root.email, root.password)).accessToken;
    const staff = await auth.createStaff({ client: firstClient ?? null, role: 'admin' });
    tenantAdminToken = (await auth.login(staff.email, staff.password)).accessToken;
  });
  afterAll(async () => {
    await auth?.server.dispose();
    await graph?.close();
  });

  it('stores and answers 50 ordinary webhooks of two tenants sent after a NUL name and an unprocessable one; the poison is set aside and shown to the admin', async () => {
    const [a, b] = tenants as [(typeof tenants)[0], (typeof tenants)[0]];
    const nulMessage: WaText = {
      id: wamid(),
      from: sender(1),
      text: 'Hi, do you do whitening?',
      name: 'Sheena\u0000 Nelson',
    };
    const poison: WaText = { id: wamid(), from: sender(2), text: 'Hello?', name: 'N'.repeat(300) };
    expect((await post(webhook(a.phone, [nulMessage]))).status).toBe(200);
    expect((await post(webhook(a.phone, [poison]))).status).toBe(200);
    const ordinary: (WaText & { phone: string })[] = Array.from({ length: 50 }, (_, i) => ({
      id: wamid(),
      from: sender(100 + i),
      text: `Hello, question number ${i}: are you open on Saturday?`,
      name: `Lead ${i}`,
      phone: i % 2 ? b.phone : a.phone,
    }));
    // In waves of ten at once, as Meta delivers: every one acknowledged.
    for (let i = 0; i < ordinary.length; i += 10) {
      const wave = ordinary.slice(i, i + 10);
      const answers = await Promise.all(wave.map((m) => post(webhook(m.phone, [m]))));
      expect(answers.map((r) => r.status)).toEqual(wave.map(() => 200));
    }

    const ids = ordinary.map((m) => m.id);
    const rows = await waitFor(async () => {
      const found = await stored(ids);
      return found.length === 50 ? found : undefined;
    }, 60_000);
    // Each stored exactly once, under the tenant whose number it was sent to.
    expect(new Set(rows.map((r) => r.external_id)).size).toBe(50);
    for (const m of ordinary) {
      expect(rows.find((r) => r.external_id === m.id)?.client_id).toBe(m.phone === a.phone ? a.id : b.id);
    }
    // And each answered on the Graph API.
    await waitFor(() => ordinary.every((m) => sentTo(m.from).length > 0), 60_000);

    // The NUL in the profile name was dropped, not fatal: stored, with the lead's clean name, and answered.
    const [nulRow] = await waitFor(async () => {
      const found = await stored([nulMessage.id]);
      return found.length ? found : undefined;
    });
    const lead = await conn().execute<{ name: string }[]>(
      'select l.name from leads l join conversations c on c.lead_id = l.id where c.id = ?',
      [nulRow?.conversation_id],
    );
    expect(lead[0]?.name).toBe('Sheena Nelson');
    await waitFor(() => sentTo(nulMessage.from).length > 0);

    // The unprocessable one: tried three times, set aside with its error, nothing stored for it.
    const dead = await waitFor(async () => {
      const e = await eventStatus(poison.id);
      return e?.status === 'dead' ? e : undefined;
    }, 20_000);
    expect(dead.attempts).toBe(3);
    expect(await stored([poison.id])).toEqual([]);
    expect(sentTo(poison.from)).toHaveLength(0);

    const list = await deadLetters();
    expect(list.status).toBe(200);
    const item = list.body.data.find((d) => d.id === String(dead.id));
    expect(item).toMatchObject({
      kind: 'webhook',
      source: 'whatsapp',
      attempts: 3,
      path: `/admin/dead-letters/webhooks/whatsapp/${dead.id}`,
    });
    expect(item.error).toMatch(
      new RegExp(`^1 of 1 parts failed: message ${poison.id.replace(/[.+]/g, '\\$&')}: .*too long`, 's'),
    );
    expect(Date.parse(item.failedAt)).toBeGreaterThan(Date.now() - 120_000);

    // Only the platform's admin sees dead letters: a tenant's admin and an API key are refused.
    expect((await auth.api('/admin/dead-letters', { token: tenantAdminToken })).status).toBe(403);
    expect((await auth.api('/admin/dead-letters', { token: a.apiKey })).status).toBe(403);
    expect((await auth.api('/admin/dead-letters')).status).toBe(401);
    expect((await auth.api(`${item.path}/retry`, { method: 'POST', token: tenantAdminToken })).status).toBe(403);

    // Retried: three fresh attempts, set aside again (the cause is still there).
    const retried = await auth.api(`${item.path}/retry`, { method: 'POST', token: adminToken });
    expect(retried.status).toBe(200);
    await waitFor(async () => {
      const e = await eventStatus(poison.id);
      return e?.status === 'pending' ? undefined : e;
    });
    const again = await waitFor(async () => {
      const e = await eventStatus(poison.id);
      return e?.status === 'dead' ? e : undefined;
    }, 20_000);
    expect(again.attempts).toBe(3);

    // Discarded: gone from the list; a second discard, or a retry of it, finds nothing.
    expect((await auth.api(item.path, { method: 'DELETE', token: adminToken })).status).toBe(200);
    expect((await deadLetters()).body.data.some((d) => d.id === String(dead.id))).toBe(false);
    expect((await auth.api(item.path, { method: 'DELETE', token: adminToken })).status).toBe(404);
    expect((await auth.api(`${item.path}/retry`, { method: 'POST', token: adminToken })).status).toBe(404);
    expect(
      (await auth.api('/admin/dead-letters/webhooks/whatsapp/not-a-number', { method: 'DELETE', token: adminToken }))
        .status,
    ).toBe(404);
    expect(
      (await auth.api('/admin/dead-letters/webhooks/nope/1/retry', { method: 'POST', token: adminToken })).status,
    ).toBe(404);

    // Nothing of the 50 was stored twice by all this.
    expect(await stored(ids)).toHaveLength(50);
  });

  it('stores and answers the good messages of a body whose middle message is bad, once each across the retries', async () => {
    const [, b] = tenants as [(typeof tenants)[0], (typeof tenants)[0]];
    const good1: WaText = {
      id: wamid(),
      from: sender(301),
      text: 'Do you have a room for two next weekend?',
      name: 'Ana',
    };
    const bad: WaText = { id: wamid(), from: sender(302), text: 'And parking?', name: 'M'.repeat(300) };
    const good2: WaText = { id: wamid(), from: sender(303), text: 'Is breakfast included?', name: 'Ben' };
    expect((await post(webhook(b.phone, [good1, bad, good2]))).status).toBe(200);

    const dead = await waitFor(async () => {
      const e = await eventStatus(good1.id);
      return e?.status === 'dead' ? e : undefined;
    }, 20_000);
    expect(dead.attempts).toBe(3);
    expect(dead.error).toMatch(new RegExp(`^1 of 3 parts failed: message ${bad.id.replace(/[.+]/g, '\\$&')}: `));

    const rows = await stored([good1.id, bad.id, good2.id]);
    expect(rows.map((r) => r.external_id).sort()).toEqual([good1.id, good2.id].sort());
    await waitFor(() => sentTo(good1.from).length > 0 && sentTo(good2.from).length > 0);
    await auth.server.app.conversation.orchestrator.idle();
    // One reply each, though the event was processed three times.
    for (const row of rows) {
      const ai = await conn().execute<{ n: string }[]>(
        `select count(*) as n from messages where conversation_id = ? and role = 'ai'`,
        [row.conversation_id],
      );
      expect(Number(ai[0]?.n)).toBe(1);
    }
    expect(sentTo(bad.from)).toHaveLength(0);
  });
});
