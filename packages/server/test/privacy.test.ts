/**
 * Privacy end to end (issue 18): a lead's data as a download and its erasure,
 * on a real server (PostgreSQL, Redis) with a local HubSpot. The lead comes in
 * through the public web form with contact details and text found nowhere
 * else, so "nothing of the lead is left" is a search of every table for them.
 */
import { randomUUID } from 'node:crypto';
import { leadExportSchema, storedLeadExportSchema } from '@leaddesk/shared';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { IClient } from '../src/db/entities/index.js';
import { createClient } from '../src/tenants/tenant-service.js';
import { type AuthTestServer, logCapture, startAuthServer } from './auth/support.js';
import { TEST_REDIS_URL } from './support/databases.js';
import { type FakeHubSpot, startFakeHubSpot } from './support/fake-hubspot.js';
import { waitFor } from './support/fake-providers.js';
import { call, connectHubSpot, type TenantCaller, waitForCrm, webFormLead } from './support/hubspot-tenant.js';
import { connectStaff } from './support/staff-client.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

const TOKEN = 'pat-na1-cccccccc-1111-2222-3333-999999999999';

/** What the erased lead said and is: each string occurs nowhere else. */
const ZELDA = {
  name: 'Zelda Quistorp',
  email: 'zelda.quistorp@example.org',
  phone: '+14155550187',
  message: 'Marmalade-otter question about my wisdom tooth',
  note: 'Zelda prefers calls after six, ref walrus-lantern',
};
const OTHER = {
  name: 'Bruno Aaltonen',
  email: 'bruno.aaltonen@example.org',
  message: 'Periwinkle-badger: cleaning price please',
};
const STRANGER = {
  name: 'Ines Okafor',
  email: 'ines.okafor@example.net',
  message: 'Tangerine-heron: do you see Sundays?',
};

describe('lead export and erasure', () => {
  let t: AuthTestServer;
  let hubspot: FakeHubSpot;
  let a: { client: IClient; admin: TenantCaller; agent: TenantCaller; manager: TenantCaller };
  let b: { client: IClient; admin: TenantCaller };
  let zelda: { leadId: string; conversationId: string };
  let bruno: { leadId: string; conversationId: string };
  let ines: { leadId: string; conversationId: string };
  const logs = logCapture();

  const sql = <T>(text: string, params: unknown[] = []) =>
    t.server.db.orm.em.getConnection().execute<T[]>(text, params);
  /** Every row of every table, as text, that holds one of the strings. */
  const rowsHolding = async (needles: string[]) => {
    const tables = await sql<{ t: string }>(
      `select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
    );
    const found: string[] = [];
    for (const { t: table } of tables) {
      const rows = await sql<{ row: string }>(
        `select row_to_json(x)::text as row from "${table}" x
          where row_to_json(x)::text ilike any(array[${needles.map(() => '?').join(', ')}])`,
        needles.map((n) => `%${n}%`),
      );
      for (const r of rows) found.push(`${table}: ${r.row.slice(0, 300)}`);
    }
    return found;
  };

  beforeAll(async () => {
    hubspot = await startFakeHubSpot();
    hubspot.addPortal(TOKEN, '40404');
    t = await startAuthServer({
      db: 'postgres',
      logStream: logs.stream,
      env: {
        LOG_LEVEL: 'info',
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: `pv${Date.now().toString(36)}:`,
        HUBSPOT_BASE_URL: hubspot.url,
        HUBSPOT_SYNC_DELAY_MS: '100',
        HUBSPOT_SYNC_LEASE_MS: '1000',
        STRUCTURED_CHUNK_DELAY_MS: '0',
        // An endpoint nobody answers: the outbox keeps copies of her lead and messages until erasure.
        OUTGOING_WEBHOOKS_ALLOW_PRIVATE: 'true',
        OUTGOING_WEBHOOKS_ALLOW_HTTP: 'true',
        OUTGOING_WEBHOOKS_RETRY_BASE_MS: '60000',
        PRIVACY_ERASE_SWEEP_MS: '3000',
      },
    });
    const tenant = async (name: string) => {
      const created = await createClient(t.server.db.orm.em.fork(), { name, industry: 'dental' });
      const as = async (role: 'admin' | 'agent' | 'manager') => {
        const staff = await t.createStaff({ client: created.client, role });
        return { base: t.server.url, token: (await t.login(staff.email, staff.password)).accessToken };
      };
      return {
        client: created.client,
        admin: await as('admin'),
        agent: await as('agent'),
        manager: await as('manager'),
      };
    };
    a = await tenant('Quiet Harbour Dental');
    b = await tenant('Far Shore Dental');
    await connectHubSpot(a.admin, { accessToken: TOKEN, clientSecret: 'secret-0123456789abcdef', portalId: '40404' });
    const endpoint = await call(a.admin, '/webhook-endpoints', {
      body: { url: 'http://127.0.0.1:9/hooks', events: ['lead.created', 'message.created'] },
    });
    expect(endpoint.status).toBe(201);
    zelda = await webFormLead(t.server.url, a.client.siteKey, ZELDA);
    bruno = await webFormLead(t.server.url, a.client.siteKey, OTHER);
    ines = await webFormLead(t.server.url, b.client.siteKey, STRANGER);
    // A staff note on Zelda's conversation (staff text about her, kept with her conversation).
    const staff = connectStaff(t.server.url, { token: a.agent.token });
    try {
      expect((await staff.call('conversation:open', { conversationId: zelda.conversationId })).ok).toBe(true);
      expect((await staff.call('note:create', { conversationId: zelda.conversationId, content: ZELDA.note })).ok).toBe(
        true,
      );
    } finally {
      staff.close();
    }
    // Her contact reached HubSpot, so erasure has something to delete there.
    await waitForCrm(a.admin, zelda.leadId, (s) => s.state === 'synced' && !!s.contactId);
  });
  afterAll(async () => {
    await t?.server.dispose();
    await hubspot?.close();
  });

  it("exports the lead's profile, messages and records, and nothing of another lead or tenant", async () => {
    const res = await fetch(`${t.server.url}/api/v1/leads/${zelda.leadId}/export`, {
      headers: { authorization: `Bearer ${a.manager.token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="lead-${zelda.leadId}.json"`);
    expect(res.headers.get('content-type')).toContain('application/json');
    const text = await res.text();
    const doc = leadExportSchema.parse(JSON.parse(text));
    // A neutral format id (a white-labelled client downloads it), and readers still take the old one.
    expect(doc.format).toBe('lead-export.v1');
    // (The HubSpot sync rows keep HubSpot's internal property names, `leaddesk_score`…: docs/white-label.md.)
    const named = text.replace(/\bleaddesk_[a-z_]+\b/g, '');
    expect([...named.matchAll(/.{0,60}lead\s?desk.{0,60}/gi)].map((m) => m[0])).toEqual([]);
    const old = { ...doc, format: 'leaddesk.lead-export.v1' };
    expect(storedLeadExportSchema.parse(old).format).toBe('leaddesk.lead-export.v1');
    expect(storedLeadExportSchema.parse(doc).format).toBe('lead-export.v1');
    expect(storedLeadExportSchema.safeParse({ ...doc, format: 'lead-export.v2' }).success).toBe(false);
    // What the server writes (and its API document names) is only the neutral one.
    expect(leadExportSchema.safeParse(old).success).toBe(false);
    expect(doc.lead).toMatchObject({ id: zelda.leadId, name: ZELDA.name, email: ZELDA.email, phone: ZELDA.phone });
    expect(doc.conversations.map((c) => c.id)).toEqual([zelda.conversationId]);
    const contents = doc.messages.map((m) => m.content);
    expect(contents).toContain(ZELDA.message);
    expect(contents).toContain(ZELDA.note);
    expect(doc.messages.every((m) => m.conversationId === zelda.conversationId)).toBe(true);
    expect(doc.crmSyncs).toEqual([expect.objectContaining({ leadId: zelda.leadId, state: 'synced' })]);
    // Nothing of Bruno (same tenant) nor of Ines (another tenant); no tenant id either.
    for (const other of [OTHER.name, OTHER.email, OTHER.message, STRANGER.email, STRANGER.message, bruno.leadId]) {
      expect(text).not.toContain(other);
    }
    expect(text).not.toContain(a.client.id);

    // Another tenant's lead is not found; an agent may not download; the download is audited.
    expect((await call(b.admin, `/leads/${zelda.leadId}/export`)).status).toBe(404);
    expect((await call(a.agent, `/leads/${zelda.leadId}/export`)).status).toBe(403);
    const audit = await sql<{ n: number }>(
      `select count(*)::int as n from audit_logs where action = 'lead.exported' and target = ?`,
      [zelda.leadId],
    );
    expect(audit[0]?.n).toBe(1);
  });

  it("refuses to erase another tenant's lead (404) or as a manager (403), and changes nothing", async () => {
    const before = await rowsHolding([ZELDA.email, ZELDA.message]);
    expect((await call(b.admin, `/leads/${zelda.leadId}`, { method: 'DELETE' })).status).toBe(404);
    expect((await call(a.manager, `/leads/${zelda.leadId}`, { method: 'DELETE' })).status).toBe(403);
    expect((await call(a.admin, '/leads/not-a-uuid', { method: 'DELETE' })).status).toBe(404);
    expect((await call(a.admin, `/leads/${zelda.leadId}`)).status).toBe(200);
    expect(await rowsHolding([ZELDA.email, ZELDA.message])).toEqual(before);
    expect(hubspot.requests.filter((r) => r.method === 'DELETE')).toEqual([]);
  });

  it('records who opened the lead, once per person and hour, with nothing of the lead', async () => {
    const views = () =>
      sql<{ user_id: string | null; actor: string; metadata: unknown }>(
        `select user_id, actor, metadata from audit_logs where action = 'lead.viewed' and target = ? and client_id = ?`,
        [zelda.leadId, a.client.id],
      );
    await Promise.all([1, 2, 3].map(() => call(a.admin, `/leads/${zelda.leadId}`)));
    expect((await call(a.admin, `/leads/${zelda.leadId}`)).status).toBe(200);
    const once = await views();
    expect(once).toHaveLength(1);
    expect(once[0]).toMatchObject({ actor: 'user', user_id: expect.any(String), metadata: {} });
    // Another person opening it is a second entry; the other tenant's failed attempt is none.
    expect((await call(a.manager, `/leads/${zelda.leadId}`)).status).toBe(200);
    expect((await call(b.admin, `/leads/${zelda.leadId}`)).status).toBe(404);
    const twice = await views();
    expect(twice).toHaveLength(2);
    expect(new Set(twice.map((v) => v.user_id)).size).toBe(2);
  });

  it('erases the lead from the API, the sockets, every table and HubSpot, leaving an audit entry', async () => {
    // A provider webhook as stored on arrival (WhatsApp writes the number without "+"), here and at the other tenant.
    const payload = JSON.stringify({
      entry: [{ changes: [{ value: { contacts: [{ wa_id: ZELDA.phone.slice(1) }] } }] }],
    });
    for (const [clientId, key] of [
      [a.client.id, 'wamid.zelda'],
      [b.client.id, 'wamid.elsewhere'],
    ]) {
      await sql(
        `insert into webhook_events (provider, dedup_key, client_id, payload, status, processed_at)
         values ('whatsapp', ?, ?, ?, 'processed', now())`,
        [key, clientId, payload],
      );
    }
    const contactId = (await call(a.admin, `/leads/${zelda.leadId}/crm`)).body.contactId as string;
    expect(hubspot.portal(TOKEN).contacts.has(contactId)).toBe(true);
    const holding = new Set(
      (await rowsHolding([...Object.values(ZELDA), ZELDA.phone.slice(1)])).map((r) => r.split(':')[0]),
    );
    // The search sees her where she lives before erasure (so an empty result afterwards means something).
    for (const table of ['leads', 'messages', 'outgoing_webhook_events', 'crm_syncs', 'webhook_events'])
      expect(holding, table).toContain(table);

    const res = await call(a.admin, `/leads/${zelda.leadId}`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      leadId: zelda.leadId,
      removed: { conversations: 1, messages: expect.any(Number), inboundWebhookPayloads: 1 },
      crmDeletionQueued: true,
    });
    expect(res.body.removed.messages).toBeGreaterThanOrEqual(2);
    for (const value of Object.values(ZELDA)) expect(res.text).not.toContain(value);

    // The API knows nothing of her.
    expect((await call(a.admin, `/leads/${zelda.leadId}`)).status).toBe(404);
    expect((await call(a.admin, `/conversations/${zelda.conversationId}`)).status).toBe(404);
    expect((await call(a.admin, `/conversations/${zelda.conversationId}/messages`)).status).toBe(404);
    expect((await call(a.admin, `/leads?q=${encodeURIComponent('quistorp')}`)).body.total).toBe(0);
    expect((await call(a.admin, `/leads/${zelda.leadId}/export`)).status).toBe(404);
    const inbox = await call(a.admin, '/inbox');
    expect(inbox.text).not.toContain(zelda.conversationId);
    // A second erasure finds nothing.
    expect((await call(a.admin, `/leads/${zelda.leadId}`, { method: 'DELETE' })).status).toBe(404);

    // A staff socket cannot replay her conversation.
    const staff = connectStaff(t.server.url, { token: a.agent.token });
    try {
      const opened = await staff.call('conversation:open', { conversationId: zelda.conversationId });
      expect(opened).toMatchObject({ ok: false, error: { code: 'not_found' } });
    } finally {
      staff.close();
    }

    // HubSpot was asked to archive her contact, and did.
    await waitFor(() =>
      hubspot.requests.some((r) => r.method === 'DELETE' && r.path === `/crm/v3/objects/contacts/${contactId}`),
    );
    expect(hubspot.portal(TOKEN).contacts.has(contactId)).toBe(false);

    // No table holds her name, email, phone, message or the note about her; the audit entry names only her id.
    // (The same number in the other tenant's stored webhook is that tenant's data: erasure is per tenant.)
    expect(await rowsHolding([...Object.values(ZELDA), ZELDA.phone.replace('+', '')])).toEqual([
      expect.stringMatching(/^webhook_events: .*wamid\.elsewhere/),
    ]);
    const audit = await sql<{ actor: string; metadata: { removed: { messages: number } } }>(
      `select actor, metadata from audit_logs where action = 'lead.erased' and target = ? and client_id = ?`,
      [zelda.leadId, a.client.id],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor).toBe('user');
    expect(audit[0]?.metadata.removed.messages).toBe(res.body.removed.messages);

    // Bruno and Ines are untouched.
    expect((await call(a.admin, `/leads/${bruno.leadId}`)).body.email).toBe(OTHER.email);
    expect((await call(b.admin, `/leads/${ines.leadId}`)).body.email).toBe(STRANGER.email);
    expect((await rowsHolding([OTHER.message, STRANGER.message])).length).toBeGreaterThanOrEqual(2);
  });

  it('removes what work in flight wrote after the erasure, here and in HubSpot, by its second pass', async () => {
    expect((await call(a.admin, `/leads/${bruno.leadId}`, { method: 'DELETE' })).status).toBe(200);
    // A reply that was being written when the lead was erased ends now: its message event reaches the
    // outbox (no foreign key holds it back), and a sync that was in flight created the contact again.
    t.server.app.conversation.core.events.emit('message.created', {
      clientId: a.client.id,
      conversationId: bruno.conversationId,
      channel: 'web_form',
      message: {
        id: randomUUID(),
        seq: 99,
        role: 'ai',
        content: `Thanks ${OTHER.name}, we will call you`,
        attachments: [],
        createdAt: new Date().toISOString(),
      },
    } as never);
    const late = hubspot.seedContact(TOKEN, { email: OTHER.email, leaddesk_lead_id: bruno.leadId });
    late.indexed = true;
    await waitFor(async () => (await rowsHolding([OTHER.name])).length > 0);
    // The second passes (PRIVACY_ERASE_SWEEP_MS here; HubSpot's after a sync lease) take both away.
    await waitFor(async () => (await rowsHolding([OTHER.name])).length === 0, 20_000);
    await waitFor(() => !hubspot.portal(TOKEN).contacts.has(late.id), 20_000);
    expect(await rowsHolding(Object.values(OTHER))).toEqual([]);
  });

  it('writes no email address or phone number to its log lines (LOG_REDACT_PERSONAL_DATA defaults to on)', async () => {
    // Without a mailer, a password reset logs the mail it could not send, addressed to the user.
    const staff = await t.createStaff({ client: a.client, role: 'agent', email: 'yusuf.lindqvist@example.org' });
    expect((await t.api('/auth/password/forgot', { body: { email: staff.email } })).status).toBeLessThan(300);
    const line = await waitFor(() => logs.lines.find((l) => l.includes('email not sent')));
    expect(JSON.parse(line)).toMatchObject({ to: '[email]' });
    // Everything this file did (web forms, syncs, erasures) left no contact detail in the log.
    const all = logs.lines.join('\n');
    for (const value of [staff.email, ZELDA.email, ZELDA.phone, OTHER.email, STRANGER.email]) {
      expect(all).not.toContain(value);
    }
    expect(logs.lines.length).toBeGreaterThan(10);
  });
});
