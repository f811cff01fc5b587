/**
 * CSV exports end to end over HTTP: a tenant in Madrid with leads created at
 * known instants (one 30 minutes after local midnight on the day clocks go
 * forward), a name built to run as a spreadsheet formula, text that needs
 * quoting, more rows than one batch, another tenant's leads beside them, and
 * the roles that may and may not export. Parsed back with csv-parse.
 */
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../src/tenants/tenant-service.js';
import { type AuthTestServer, startAuthServer } from './auth/support.js';

describe('CSV exports', () => {
  let t: AuthTestServer;
  let madrid: Awaited<ReturnType<typeof createClient>>;
  let other: Awaited<ReturnType<typeof createClient>>;
  const tokens = { manager: '', agent: '' };
  const MANY = 2_300;

  const sqlExec = (text: string, params: unknown[] = []) => t.server.db.orm.em.getConnection().execute(text, params);
  const insertLead = async (clientId: string, at: string, fields: Record<string, unknown> = {}) => {
    const id = randomUUID();
    await sqlExec(
      `insert into leads (id, client_id, name, email, phone, handles, source, qualification, score, temperature,
         score_evidence, status, created_at, updated_at)
       values (?, ?, ?, ?, ?, '{}'::jsonb, ?, ?::jsonb, ?, ?, '[]'::jsonb, ?, ?, ?)`,
      [
        id,
        clientId,
        fields.name ?? null,
        fields.email ?? null,
        fields.phone ?? null,
        fields.source ?? 'web',
        JSON.stringify(fields.qualification ?? { custom: {} }),
        fields.score ?? null,
        fields.temperature ?? 'unscored',
        fields.status ?? 'new',
        at,
        at,
      ],
    );
    return id;
  };
  const download = async (path: string, token: string) => {
    const res = await fetch(`${t.server.url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
    const bytes = Buffer.from(await res.arrayBuffer());
    const text = bytes.toString('utf8');
    return {
      res,
      text,
      rows: res.status === 200 ? (parse(text, { bom: true, columns: true }) as Record<string, string>[]) : [],
    };
  };

  beforeAll(async () => {
    t = await startAuthServer();
    const em = t.server.db.orm.em.fork();
    madrid = await createClient(em, { name: 'Clinica Sol', industry: 'dental', timezone: 'Europe/Madrid' });
    other = await createClient(t.server.db.orm.em.fork(), { name: 'Other Clinic', industry: 'dental' });
    const manager = await t.createStaff({ client: madrid.client, role: 'manager' });
    tokens.manager = (await t.login(manager.email, manager.password)).accessToken;
    const agent = await t.createStaff({ client: madrid.client, role: 'agent' });
    tokens.agent = (await t.login(agent.email, agent.password)).accessToken;

    // 2026-03-29 is the day Madrid's clocks go forward (02:00 → 03:00): 23:30 UTC the day before is 00:30 local.
    await insertLead(madrid.client.id, '2026-03-28T23:30:00Z', {
      name: 'Ana "Quote", Comma\nNewline',
      email: 'ana@example.com',
      phone: '+34600111222',
      status: 'qualified',
      temperature: 'hot',
      score: 88,
      qualification: { serviceInterest: 'implants', budgetRange: '3000 EUR', custom: { insurer: 'Sanitas' } },
    });
    await insertLead(madrid.client.id, '2026-03-29T10:00:00Z', {
      name: '=HYPERLINK("https://evil.example","click")',
      email: 'formula@example.com',
      source: 'whatsapp',
    });
    await insertLead(other.client.id, '2026-03-29T10:00:00Z', { name: 'Not Yours', email: 'other@example.com' });
    // Older than both, more than one batch of 1,000.
    await sqlExec(
      `insert into leads (id, client_id, name, handles, source, qualification, score_evidence, created_at, updated_at)
       select gen_random_uuid(), ?, 'Bulk ' || g, '{}'::jsonb, 'web', '{"custom":{}}'::jsonb, '[]'::jsonb,
              timestamptz '2026-01-01 00:00:00+00' + g * interval '1 minute',
              timestamptz '2026-01-01 00:00:00+00' + g * interval '1 minute'
         from generate_series(1, ?) g`,
      [madrid.client.id, MANY],
    );
  }, 120_000);
  afterAll(async () => {
    await t?.server.dispose();
  });

  it('streams every lead of the tenant, newest first, quoted, formulas neutralised, times local with their offset', async () => {
    const { res, text, rows } = await download('/exports/leads.csv', tokens.manager);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="leads-clinica-sol-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(text.startsWith('\uFEFFid,created_at,name,email,phone,source,status,temperature,score')).toBe(true);
    // Every row once: the two leads, and the bulk rows across the batch boundaries.
    expect(rows).toHaveLength(MANY + 2);
    expect(new Set(rows.map((r) => r.id)).size).toBe(MANY + 2);
    expect(rows.some((r) => r.email === 'other@example.com')).toBe(false);
    const created = rows.map((r) => Date.parse(r.created_at as string));
    expect(created).toEqual([...created].sort((a, b) => b - a));

    const formula = rows[0] as Record<string, string>;
    expect(formula.name).toBe(`'=HYPERLINK("https://evil.example","click")`);
    expect(formula.source).toBe('whatsapp');
    expect(formula.created_at).toBe('2026-03-29T12:00:00+02:00');
    const ana = rows[1] as Record<string, string>;
    expect(ana).toMatchObject({
      name: 'Ana "Quote", Comma\nNewline',
      phone: '+34600111222',
      status: 'qualified',
      temperature: 'hot',
      score: '88',
      service: 'implants',
      budget: '3000 EUR',
      other_answers: '{"insurer":"Sanitas"}',
      // Before the clocks went forward that night: +01:00.
      created_at: '2026-03-29T00:30:00+01:00',
    });
    expect(rows.at(-1)).toMatchObject({ name: 'Bulk 1', created_at: '2026-01-01T01:01:00+01:00' });
  });

  it("filters by the tenant's local days and the lists' fields", async () => {
    // 00:30 local on the 29th belongs to the 29th, though it is still the 28th in UTC.
    const day = await download('/exports/leads.csv?from=2026-03-29&to=2026-03-29', tokens.manager);
    expect(day.rows.map((r) => r.email).sort()).toEqual(['ana@example.com', 'formula@example.com']);
    const before = await download('/exports/leads.csv?from=2026-03-28&to=2026-03-28', tokens.manager);
    expect(before.rows).toHaveLength(0);
    const hot = await download('/exports/leads.csv?temperature=hot', tokens.manager);
    expect(hot.rows.map((r) => r.email)).toEqual(['ana@example.com']);
    const whatsapp = await download('/exports/leads.csv?source=whatsapp&status=new', tokens.manager);
    expect(whatsapp.rows.map((r) => r.email)).toEqual(['formula@example.com']);
  });

  it('exports conversations with their lead', async () => {
    const form = await fetch(`${t.server.url}/webhooks/web-form`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        siteKey: madrid.client.siteKey,
        name: 'Luis Form',
        email: 'luis@example.com',
        message: 'Do you open on Saturdays?',
      }),
    });
    expect(form.status).toBeLessThan(300);
    const { rows } = await download('/exports/conversations.csv', tokens.manager);
    const luis = rows.find((r) => r.lead_email === 'luis@example.com');
    expect(luis).toMatchObject({ channel: 'web_form', lead_name: 'Luis Form' });
    expect(luis?.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[12]:00$/);
    const otherTenant = await download('/exports/conversations.csv', other.apiKey);
    expect(otherTenant.rows.some((r) => r.lead_email === 'luis@example.com')).toBe(false);
  });

  it('refuses agents and bad filters with a clear error', async () => {
    const agent = await download('/exports/leads.csv', tokens.agent);
    expect(agent.res.status).toBe(403);
    expect(JSON.parse(agent.text).error.code).toBe('forbidden');
    const bad = await download('/exports/leads.csv?from=29-03-2026', tokens.manager);
    expect(bad.res.status).toBe(400);
    expect(bad.text).toContain('expected YYYY-MM-DD');
    const badStatus = await download('/exports/conversations.csv?status=open', tokens.manager);
    expect(badStatus.res.status).toBe(400);
  });
});
