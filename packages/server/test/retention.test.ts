import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../src/tenants/tenant-service.js';
import { insertConversation, insertLead } from './support/automation-rows.js';
import { tenantApi } from './support/automation-scenario.js';
import { waitFor } from './support/fake-providers.js';
import { startTestServer, type TestServer } from './support/test-server.js';

/** Retention: a dry-run count first, then only what is past the tenant's period goes, in that tenant only. */
const DAY = 86_400_000;

describe('retention', () => {
  let server: TestServer;
  let base: string;
  const exec = (sql: string, params: unknown[] = []) => server.db.orm.em.getConnection().execute(sql, params);
  const count = async (table: string, clientId: string) =>
    Number(
      ((await exec(`select count(*) as n from ${table} where client_id = ?`, [clientId])) as [{ n: string }])[0].n,
    );

  /** An old lead and conversation (40 days), a recent pair (5 days), an old lead still talking (2 days ago). */
  const seed = async (clientId: string) => {
    const now = Date.now();
    const old = await insertLead(exec, clientId, new Date(now - 40 * DAY), { name: 'Old Olga', phone: '+34600000001' });
    const oldConversation = await insertConversation(exec, clientId, old, new Date(now - 40 * DAY));
    const recent = await insertLead(exec, clientId, new Date(now - 5 * DAY), { name: 'Recent Rita' });
    await insertConversation(exec, clientId, recent, new Date(now - 5 * DAY));
    const talking = await insertLead(exec, clientId, new Date(now - 40 * DAY), { name: 'Talking Tom' });
    await insertConversation(exec, clientId, talking, new Date(now - 2 * DAY));
    return { old, oldConversation, recent, talking };
  };

  beforeAll(async () => {
    server = await startTestServer();
    base = `http://127.0.0.1:${server.port}`;
  }, 300_000);
  afterAll(async () => {
    await server?.dispose();
  });

  it('counts first (changing nothing), then deletes only what is due, in this tenant only', async () => {
    const tenant = await createClient(server.db.orm.em.fork(), { name: 'Delete Dental' });
    const bystander = await createClient(server.db.orm.em.fork(), { name: 'Bystander Dental' });
    const api = tenantApi(base, tenant.apiKey);
    const rows = await seed(tenant.client.id);
    await seed(bystander.client.id);
    expect((await api('/automation/follow-ups', { method: 'PATCH', body: { retention: { days: 3 } } })).status).toBe(
      400,
    );
    expect(
      (await api('/automation/follow-ups', { method: 'PATCH', body: { retention: { days: 30, mode: 'delete' } } }))
        .status,
    ).toBe(200);

    // Olga asked a question; a report rolls it up, as text (the questions' wordings).
    await exec(
      `insert into messages (id, client_id, conversation_id, seq, role, content, attachments, channel, created_at)
       values (gen_random_uuid(), ?, ?, 10, 'visitor', ?, '[]', 'web', ?)`,
      [
        tenant.client.id,
        rows.oldConversation,
        'Can Olga Oldfield pay by card?',
        new Date(Date.now() - 40 * DAY + 60_000),
      ],
    );
    const rolledUp = () =>
      exec(`select wording from report_question_daily where client_id = ? and wording ilike '%olga%'`, [
        tenant.client.id,
      ]);
    expect((await api('/reports/insights?period=last_90_days')).status).toBe(200);
    expect(await rolledUp()).toHaveLength(1);

    const dry = await api('/automation/retention/run', { method: 'POST', body: {} });
    expect(dry.body).toMatchObject({ dryRun: true, mode: 'delete', conversations: 1, leads: 1 });
    expect(await count('leads', tenant.client.id)).toBe(3);
    expect(await count('conversations', tenant.client.id)).toBe(3);

    const applied = await api('/automation/retention/run', { method: 'POST', body: { dryRun: false } });
    expect(applied.body).toMatchObject({ dryRun: false, conversations: 1, leads: 1 });
    const leads = (await exec('select id from leads where client_id = ? order by name', [tenant.client.id])) as {
      id: string;
    }[];
    expect(leads.map((l) => l.id).sort()).toEqual([rows.recent, rows.talking].sort());
    expect(await exec('select id from messages where conversation_id = ?', [rows.oldConversation])).toEqual([]);
    // The rollup's day was rewritten in the same transaction: her question is no longer held anywhere.
    expect(await rolledUp()).toEqual([]);
    expect(await count('conversations', tenant.client.id)).toBe(2);
    // The other tenant (no retention period) keeps everything.
    expect(await count('leads', bystander.client.id)).toBe(3);
    expect(await count('conversations', bystander.client.id)).toBe(3);
    expect((await api('/automation/retention/run', { method: 'POST', body: {} })).body).toMatchObject({
      conversations: 0,
      leads: 0,
    });
  });

  it('anonymises instead when asked, by the scheduled daily job, and counts nothing twice', async () => {
    const tenant = await createClient(server.db.orm.em.fork(), { name: 'Anon Dental' });
    const api = tenantApi(base, tenant.apiKey);
    const rows = await seed(tenant.client.id);
    await api('/automation/follow-ups', { method: 'PATCH', body: { retention: { days: 30, mode: 'anonymise' } } });
    expect((await api('/automation/retention/run', { method: 'POST', body: {} })).body).toMatchObject({
      mode: 'anonymise',
      conversations: 1,
      leads: 1,
    });
    await server.app.followUps.retention.scheduleAll();
    const lead = await waitFor(async () => {
      const found = (await exec('select name, phone, handles from leads where id = ?', [rows.old])) as {
        name: string | null;
        phone: string | null;
      }[];
      return found[0]?.name === null ? found[0] : undefined;
    });
    expect(lead).toEqual({ name: null, phone: null, handles: {} });
    const messages = (await exec('select role, content from messages where conversation_id = ? order by seq', [
      rows.oldConversation,
    ])) as { role: string; content: string }[];
    expect(messages).toEqual([
      { role: 'visitor', content: '[removed]' },
      { role: 'ai', content: 'Hi Ana! How can I help.' },
    ]);
    const kept = (await exec('select name from leads where id in (?, ?) order by name', [
      rows.recent,
      rows.talking,
    ])) as {
      name: string;
    }[];
    expect(kept.map((k) => k.name)).toEqual(['Recent Rita', 'Talking Tom']);
    expect((await api('/automation/retention/run', { method: 'POST', body: {} })).body).toMatchObject({
      conversations: 0,
      leads: 0,
    });
  });
});
