/**
 * Erasure while a reply is being written (issue 18): a widget visitor's
 * reply streams slowly (structured mode, a delay per chunk); the lead is
 * erased after the first chunk reached the visitor. When the reply ends,
 * nothing of the visitor may have come back: no conversation, no message, no
 * lead, no copy anywhere in the database.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClient } from '../src/tenants/tenant-service.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { connectVisitor, type Visitor } from './support/widget-client.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

const SAID = 'Hello, this is Petra Vasquez, petra.vasquez@example.org, do you do root canals on Saturdays?';

describe('erasing a lead while its reply streams', () => {
  let server: TestServer;
  let visitor: Visitor | undefined;

  beforeAll(async () => {
    server = await startTestServer({
      env: { STRUCTURED_CHUNK_DELAY_MS: '150', PRIVACY_ERASE_SWEEP_MS: '500' },
    });
  });
  afterAll(async () => {
    visitor?.close();
    await server?.dispose();
  });

  const sql = <T>(text: string, params: unknown[] = []) =>
    server.db.orm.em.fork().getConnection().execute<T[]>(text, params);

  it('leaves nothing of the visitor once the reply in flight has ended', async () => {
    const tenant = await createClient(server.db.orm.em.fork(), {
      name: 'Cedar Dental',
      industry: 'dental',
      allowedOrigins: ['*'],
    });
    visitor = connectVisitor(server.url, { siteKey: tenant.client.siteKey, origin: 'https://site.example' });
    await visitor.waitFor('session:ready');
    const ack = await visitor.send(SAID);
    if (!ack.ok) throw new Error(ack.error.message);
    const conversationId = ack.data.message.conversationId;
    // The reply is under way: its first chunk reached the visitor.
    await visitor.waitFor('reply:delta');
    const [row] = await sql<{ lead_id: string }>('select lead_id from conversations where id = ?', [conversationId]);
    expect(row?.lead_id).toEqual(expect.any(String));

    const res = await fetch(`${server.url}/api/v1/leads/${row?.lead_id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${tenant.apiKey}` },
    });
    expect(res.status).toBe(200);
    const streamedBefore = visitor.events.filter(([n]) => n === 'reply:delta').length;

    // The reply ends unstored (its conversation is gone: the visitor sees it aborted), and no process takes it
    // up again.
    await visitor.waitFor('reply:aborted');
    await server.app.conversation.orchestrator.idle();
    await new Promise((r) => setTimeout(r, 1500));
    const left = await sql<{ t: string; n: number }>(
      `select 'conversations' as t, count(*)::int as n from conversations where client_id = ?
       union all select 'messages', count(*)::int from messages where client_id = ?
       union all select 'leads', count(*)::int from leads where client_id = ?
       union all select 'escalations', count(*)::int from escalations where client_id = ?`,
      [tenant.client.id, tenant.client.id, tenant.client.id, tenant.client.id],
    );
    expect(Object.fromEntries(left.map((r) => [r.t, r.n]))).toEqual({
      conversations: 0,
      messages: 0,
      leads: 0,
      escalations: 0,
    });
    const tables = await sql<{ t: string }>(
      `select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
    );
    for (const { t } of tables) {
      const rows = await sql<{ n: number }>(
        `select count(*)::int as n from "${t}" x where row_to_json(x)::text ilike any(array[?, ?, ?])`,
        ['%Petra Vasquez%', '%petra.vasquez@example.org%', '%root canals on Saturdays%'],
      );
      expect(rows[0]?.n, t).toBe(0);
    }
    // The visitor saw the reply start; it was not stored (no reply:ended with a stored message).
    expect(streamedBefore).toBeGreaterThan(0);
    expect(visitor.messages().filter((m) => m.role === 'ai')).toEqual([]);
  });
});
