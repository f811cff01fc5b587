import { randomUUID } from 'node:crypto';
import type { OverviewDto } from '@leaddesk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlOf } from '../src/db/sql.js';
import { createClient } from '../src/tenants/tenant-service.js';
import { type AuthTestServer, startAuthServer } from './auth/support.js';

/**
 * The agency overview (docs/reports.md): every client side by side for a
 * period, each computed in its own zone, sortable, as JSON and CSV; super
 * admins only. Three clients: Alpha in Europe/London, New York Smiles in
 * America/New_York and an empty one in UTC, over 16–31 March 2026 (local
 * dates): 23:30 UTC on 31 March is still March in New York but already
 * April in London; 03:00 UTC on the 16th is still the 15th in New York.
 */
describe('agency overview for super admins', () => {
  let t: AuthTestServer;
  let root = '';
  let alphaAdmin = '';
  let alphaManager = '';
  let alphaKey = '';
  const q = (text: string, params: unknown[] = []) => sqlOf(t.server.db.orm).query(text, params);

  /** A lead whose conversation starts with the visitor at `at`, first answered by `by` after `seconds`. */
  async function lead(
    clientId: string,
    at: string,
    by: 'ai' | 'staff',
    seconds: number,
    status: string,
    service: string | null,
    temperature = 'unscored',
  ) {
    const leadId = randomUUID();
    const conversationId = randomUUID();
    const when = new Date(at);
    await q(
      `insert into leads (id, client_id, handles, source, qualification, score_evidence, status, temperature, created_at, updated_at)
       values (?, ?, '{}', 'web', ?::jsonb, '[]', ?, ?, ?, ?)`,
      [
        leadId,
        clientId,
        JSON.stringify({ serviceInterest: service ?? undefined, custom: {} }),
        status,
        temperature,
        when,
        when,
      ],
    );
    await q(
      `insert into conversations (id, client_id, lead_id, channel, status, mode, last_seq, created_at, updated_at)
       values (?, ?, ?, 'web', 'active', 'ai', 2, ?, ?)`,
      [conversationId, clientId, leadId, when, when],
    );
    for (const [seq, role, moment] of [
      [1, 'visitor', when],
      [2, by, new Date(when.getTime() + seconds * 1000)],
    ] as const) {
      await q(
        `insert into messages (id, client_id, conversation_id, seq, role, content, attachments, channel, delivery_state, created_at)
         values (?, ?, ?, ?, ?, 'text', '[]', 'web', 'sent', ?)`,
        [randomUUID(), clientId, conversationId, seq, role, moment],
      );
    }
  }
  async function usage(clientId: string, day: string, model: string, input: number, output: number) {
    await q(
      `insert into usage_logs (id, client_id, model, day, requests, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens)
       values (?, ?, ?, ?::date, 1, ?, ?, 0, 0)`,
      [randomUUID(), clientId, model, day, input, output],
    );
  }

  beforeAll(async () => {
    t = await startAuthServer({
      db: 'postgres',
      env: { REPORTS_SWEEP_INTERVAL_MS: '0', REPORTS_MAX_STALENESS_MS: '0' },
    });
    const em = () => t.server.db.orm.em.fork();
    const day = [{ open: '09:00', close: '17:00' }];
    const businessHours = { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] };
    const alpha = await createClient(em(), {
      name: 'Alpha Dental',
      industry: 'dental',
      starterKnowledge: false,
      timezone: 'Europe/London',
      config: {
        businessHours,
        services: ['Implants'],
        serviceValues: { Implants: 3000 },
        reports: { planMonthlyCost: 300 },
      },
    });
    const ny = await createClient(em(), {
      name: 'New York Smiles',
      industry: 'dental',
      starterKnowledge: false,
      timezone: 'America/New_York',
      config: {
        businessHours,
        services: ['Implants', 'Whitening'],
        serviceValues: { Implants: 2000, Whitening: 500 },
        reports: { planMonthlyCost: 620, currency: 'USD' },
      },
    });
    await createClient(em(), { name: 'Beta Empty', industry: 'dental', starterKnowledge: false, timezone: 'UTC' });
    alphaKey = alpha.apiKey;
    const A = alpha.client.id;
    const N = ny.client.id;
    // Alpha (London): 23:30 BST on Tue 31 March, hot, qualified implants, the AI in 5 s; 00:30 GMT on Mon 16 March,
    // new, the AI in 5 s. 00:30 BST on 1 April is not in the period.
    await lead(A, '2026-03-31T22:30:00Z', 'ai', 5, 'qualified', 'Implants', 'hot');
    await lead(A, '2026-03-16T00:30:00Z', 'ai', 5, 'new', null);
    await lead(A, '2026-03-31T23:30:00Z', 'ai', 5, 'qualified', 'Implants', 'hot');
    await usage(A, '2026-03-20', 'claude-sonnet-4-6', 1_000_000, 0);
    // New York: 19:30 EDT on Tue 31 March, won whitening, the AI in 5 s; 02:00 EDT on Mon 16 March, booked implants,
    // staff in 65 s; Fri 20 March 11:00 EDT (in hours), new, the AI in 5 s. 23:00 EDT on the 15th is not in the period.
    await lead(N, '2026-03-31T23:30:00Z', 'ai', 5, 'closed_won', 'Whitening');
    await lead(N, '2026-03-16T06:00:00Z', 'staff', 65, 'appointment_booked', 'Implants');
    await lead(N, '2026-03-20T15:00:00Z', 'ai', 5, 'new', null);
    await lead(N, '2026-03-16T03:00:00Z', 'ai', 5, 'qualified', 'Implants', 'hot');
    await usage(N, '2026-03-25', 'claude-haiku-4-5', 0, 1_000_000);

    const superAdmin = await t.createStaff({ client: null, role: 'super_admin' });
    root = (await t.login(superAdmin.email, superAdmin.password)).accessToken;
    const admin = await t.createStaff({ client: alpha.client, role: 'admin' });
    alphaAdmin = (await t.login(admin.email, admin.password)).accessToken;
    const manager = await t.createStaff({ client: alpha.client, role: 'manager' });
    alphaManager = (await t.login(manager.email, manager.password)).accessToken;
  }, 60_000);
  afterAll(async () => {
    await t?.server.dispose();
  });

  const period = 'from=2026-03-16&to=2026-03-31';
  const overview = async (query: string) => {
    const res = await t.api<OverviewDto>(`/admin/reports/overview?${query}`, { token: root });
    expect(res.status, res.text).toBe(200);
    return res.body;
  };
  const names = (body: OverviewDto) => body.rows.map((r) => r.name);

  it('answers every client side by side, each in its own time zone', async () => {
    const body = await overview(period);
    expect(body).toMatchObject({ period: null, sort: 'name', order: 'asc' });
    expect(names(body)).toEqual(['Alpha Dental', 'Beta Empty', 'New York Smiles']);
    const [alpha, empty, ny] = body.rows;
    expect(alpha).toMatchObject({
      timezone: 'Europe/London',
      from: '2026-03-16',
      to: '2026-03-31',
      currency: 'EUR',
      leads: 2,
      hotLeads: 1,
      qualified: 1,
      booked: 0,
      won: 0,
      averageFirstResponseSeconds: 5,
      // Open Mon–Fri 09:00–17:00: 23:30 and 00:30 are both after hours.
      afterHoursInquiries: 2,
      attributedValue: 3000,
      aiSpend: 3,
      aiSpendCurrency: 'USD',
      unpricedTokens: 0,
      // 16 of March's 31 days of 300.
      planCost: 154.84,
    });
    expect(ny).toMatchObject({
      timezone: 'America/New_York',
      currency: 'USD',
      leads: 3,
      hotLeads: 0,
      qualified: 2,
      booked: 1,
      won: 1,
      // (5 + 65 + 5) / 3.
      averageFirstResponseSeconds: 25,
      afterHoursInquiries: 2,
      // Only the won whitening: staff answered the booked implants first.
      attributedValue: 500,
      aiSpend: 5,
      planCost: 320,
    });
    expect(empty).toMatchObject({
      leads: 0,
      averageFirstResponseSeconds: null,
      attributedValue: 0,
      aiSpend: 0,
      planCost: 0,
    });
  });

  it('ends a named period today in each client’s own zone', async () => {
    const body = await overview('period=this_month');
    expect(body.period).toBe('this_month');
    for (const row of body.rows) {
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: row.timezone }).format(new Date());
      expect(row.to, row.name).toBe(today);
      expect(row.from).toBe(`${today.slice(0, 8)}01`);
    }
  });

  it('sorts by any column either way, a missing figure last and ties by name', async () => {
    expect(names(await overview(`${period}&sort=leads&order=desc`))).toEqual([
      'New York Smiles',
      'Alpha Dental',
      'Beta Empty',
    ]);
    expect(names(await overview(`${period}&sort=leads&order=asc`))).toEqual([
      'Beta Empty',
      'Alpha Dental',
      'New York Smiles',
    ]);
    expect(names(await overview(`${period}&sort=averageFirstResponseSeconds`))).toEqual([
      'Alpha Dental',
      'New York Smiles',
      'Beta Empty',
    ]);
    expect(names(await overview(`${period}&sort=averageFirstResponseSeconds&order=desc`))).toEqual([
      'New York Smiles',
      'Alpha Dental',
      'Beta Empty',
    ]);
    expect(names(await overview(`${period}&sort=hotLeads&order=desc`))).toEqual([
      'Alpha Dental',
      'Beta Empty',
      'New York Smiles',
    ]);
    expect(names(await overview(`${period}&sort=planCost&order=desc`))).toEqual([
      'New York Smiles',
      'Alpha Dental',
      'Beta Empty',
    ]);
    expect(names(await overview(`${period}&sort=attributedValue&order=desc`))).toEqual([
      'Alpha Dental',
      'New York Smiles',
      'Beta Empty',
    ]);
    expect(names(await overview(`${period}&sort=name&order=desc`))).toEqual([
      'New York Smiles',
      'Beta Empty',
      'Alpha Dental',
    ]);
  });

  it('exports the overview as CSV in the requested order', async () => {
    const res = await t.api(`/admin/reports/overview.csv?${period}&sort=leads&order=desc`, { token: root });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="clients-overview-2026-03-16-to-2026-03-31.csv"',
    );
    const [head = '', ...lines] = res.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(head).toBe(
      'client_id,name,status,timezone,from,to,leads,hot_leads,qualified,booked,won,average_first_response_seconds,after_hours_inquiries,attributed_value,currency,ai_spend,ai_spend_currency,ai_unpriced_tokens,plan_cost,plan,ai_tokens_this_month,ai_token_budget',
    );
    const rows = lines.map((l) => l.split(',').slice(1));
    expect(rows).toEqual([
      [
        'New York Smiles',
        'active',
        'America/New_York',
        '2026-03-16',
        '2026-03-31',
        '3',
        '0',
        '2',
        '1',
        '1',
        '25',
        '2',
        '500',
        'USD',
        '5',
        'USD',
        '0',
        '320',
        'starter',
        '0',
        '500000',
      ],
      [
        'Alpha Dental',
        'active',
        'Europe/London',
        '2026-03-16',
        '2026-03-31',
        '2',
        '1',
        '1',
        '0',
        '0',
        '5',
        '2',
        '3000',
        'EUR',
        '3',
        'USD',
        '0',
        '154.84',
        'starter',
        '0',
        '500000',
      ],
      [
        'Beta Empty',
        'active',
        'UTC',
        '2026-03-16',
        '2026-03-31',
        '0',
        '0',
        '0',
        '0',
        '0',
        '',
        '0',
        '0',
        'EUR',
        '0',
        'USD',
        '0',
        '0',
        'starter',
        '0',
        '500000',
      ],
    ]);
  });

  it('is for super admins only: a client’s admin, manager or API key gets 403', async () => {
    for (const path of [`/admin/reports/overview?${period}`, `/admin/reports/overview.csv?${period}`]) {
      for (const token of [alphaAdmin, alphaManager, alphaKey]) {
        const res = await t.api(path, { token });
        expect(res.status, path).toBe(403);
        expect(res.body.error.code).toBe('forbidden');
      }
      expect((await t.api(path)).status).toBe(401);
    }
  });

  it('refuses a bad sort, order or period with a 400', async () => {
    for (const query of ['sort=revenue', 'order=up', 'period=fortnight', 'from=2026-03-31&to=2026-03-01']) {
      const res = await t.api(`/admin/reports/overview?${query}`, { token: root });
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });
});
