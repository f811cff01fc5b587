import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VisitorSpokeError } from '../src/conversation/store-message.js';
import { Lead } from '../src/db/entities/index.js';
import { findOrCreateLead } from '../src/leads/find-or-create-lead.js';
import { createClient } from '../src/tenants/tenant-service.js';
import { DB_KINDS } from './support/databases.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const EXPECTED_TABLES = [
  'audit_logs',
  'clients',
  'conversations',
  'conversation_events',
  'escalations',
  'job_queue',
  'knowledge_bases',
  'knowledge_chunks',
  'leads',
  'messages',
  'qualification_rules',
  'usage_logs',
  'user_sessions',
  'users',
];

describe.each(DB_KINDS)('data layer on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ db: kind });
  });
  afterAll(async () => {
    await server?.dispose();
  });
  const conn = () => server.db.orm.em.getConnection();

  it('migrates an empty database to the whole schema', async () => {
    const rows = await conn().execute<{ table_name: string }[]>(
      `select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
    );
    const tables = rows.map((r) => r.table_name);
    for (const t of EXPECTED_TABLES) expect(tables).toContain(t);
    const applied = await server.db.orm.getMigrator().getExecutedMigrations();
    expect(applied.map((m) => m.name)).toContain('Migration20261125000000Initial');
    expect(await server.db.orm.getMigrator().getPendingMigrations()).toEqual([]);
  });

  it('reports pgvector as the database actually has it', async () => {
    const available = await conn().execute<unknown[]>(`select 1 from pg_available_extensions where name = 'vector'`);
    expect(server.db.pgvector).toBe(available.length > 0);
    if (kind === 'embedded') expect(server.db.pgvector).toBe(true);
    const ready = await (await fetch(`${server.url}/readyz`)).json();
    expect(ready.checks.pgvector.present).toBe(server.db.pgvector);
    // Without an embeddings key the search is full text, pgvector or not.
    expect(ready.checks.pgvector.search).toBe('full_text');
  });

  it('stores a message guarded by quietSince only while the lead has not written since, even racing them', async () => {
    const { client } = await createClient(server.db.orm.em.fork(), { name: 'Quiet Guard' });
    const core = server.app.conversation.core;
    const lead = (content: string) =>
      core.receiveInbound({ client, channel: 'web', visitorId: 'v-quiet-guard', content, requestReply: false });
    const first = await lead('Hello, is Saturday open?');
    const conversationId = first.conversation.id;
    const nudge = (since: number) =>
      core.appendMessage({
        clientId: client.id,
        conversationId,
        role: 'ai',
        content: 'Still there?',
        quietSince: since,
      });
    await lead('STOP');
    await expect(nudge(first.message.seq)).rejects.toBeInstanceOf(VisitorSpokeError);

    // A follow-up decided at `since` and a lead message sent at the same moment: the follow-up is
    // stored before the lead's message or not at all, never after it.
    let since = (await lead('one more')).message.seq;
    let storedBefore = 0;
    let refused = 0;
    for (let round = 0; round < 20; round++) {
      const [sent, written] = await Promise.allSettled([nudge(since), lead(`message ${round}`)]);
      if (written.status !== 'fulfilled') throw written.reason;
      if (sent.status === 'fulfilled') {
        expect(sent.value.seq).toBeLessThan(written.value.message.seq);
        storedBefore++;
      } else {
        expect(sent.reason).toBeInstanceOf(VisitorSpokeError);
        refused++;
      }
      since = Math.max(written.value.message.seq, sent.status === 'fulfilled' ? sent.value.seq : 0);
    }
    expect(storedBefore + refused).toBe(20);
    const stored = await conn().execute<{ n: string }[]>(
      `select count(*) as n from messages where conversation_id = ? and role = 'ai'`,
      [conversationId],
    );
    expect(Number(stored[0]?.n)).toBe(storedBefore);
  });

  it('deduplicates leads by phone whatever its format', async () => {
    const { client } = await createClient(server.db.orm.em.fork(), { name: 'Dedup Phone', locale: 'en-US' });
    const ids = new Set<string>();
    for (const phone of ['+1 (415) 555-0199', '415.555.0199', '(415) 555 0199', '0014155550199']) {
      const { lead } = await findOrCreateLead(server.db.orm.em.fork(), client, 'whatsapp', { phone });
      ids.add(lead.id);
    }
    expect(ids.size).toBe(1);
    const lead = await server.db.orm.em.fork().findOneOrFail(Lead, { id: [...ids][0]! });
    expect(lead.phone).toBe('+14155550199');
  });

  it('deduplicates leads by email regardless of case and fills missing fields', async () => {
    const { client } = await createClient(server.db.orm.em.fork(), { name: 'Dedup Email' });
    const first = await findOrCreateLead(server.db.orm.em.fork(), client, 'web', { email: 'Maria.Lopez@Example.com' });
    const second = await findOrCreateLead(server.db.orm.em.fork(), client, 'email', {
      email: ' maria.lopez@EXAMPLE.COM',
      name: 'María López',
    });
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.lead.id).toBe(first.lead.id);
    expect(second.lead.name).toBe('María López');
    expect(second.lead.email).toBe('maria.lopez@example.com');
  });

  it('keeps the same contact separate across tenants', async () => {
    const one = await createClient(server.db.orm.em.fork(), { name: 'Tenant One' });
    const two = await createClient(server.db.orm.em.fork(), { name: 'Tenant Two' });
    const a = await findOrCreateLead(server.db.orm.em.fork(), one.client, 'web', { email: 'same@example.com' });
    const b = await findOrCreateLead(server.db.orm.em.fork(), two.client, 'web', { email: 'same@example.com' });
    expect(a.lead.id).not.toBe(b.lead.id);
  });

  it('creates one lead when the same contact arrives concurrently', async () => {
    const { client } = await createClient(server.db.orm.em.fork(), { name: 'Concurrent' });
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        findOrCreateLead(server.db.orm.em.fork(), client, 'whatsapp', { phone: '+34612345678' }),
      ),
    );
    expect(new Set(results.map((r) => r.lead.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await server.db.orm.em.fork().count(Lead, { client: client.id })).toBe(1);
  });

  it('finds a lead by a channel handle', async () => {
    const { client } = await createClient(server.db.orm.em.fork(), { name: 'Handles' });
    const a = await findOrCreateLead(server.db.orm.em.fork(), client, 'web', { handles: { web: 'visitor-123' } });
    const b = await findOrCreateLead(server.db.orm.em.fork(), client, 'web', {
      handles: { web: 'visitor-123' },
      email: 'later@example.com',
    });
    expect(b.lead.id).toBe(a.lead.id);
    expect(b.lead.email).toBe('later@example.com');
  });
});
