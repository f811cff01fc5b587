import { randomUUID } from 'node:crypto';
import type { ConversionModelStatus, ScoringReportDto } from '@leaddesk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlOf } from '../src/db/sql.js';
import { ConversionModels, queueNightlyRefits } from '../src/reports/scoring/index.js';
import { createClient } from '../src/tenants/tenant-service.js';
import { waitFor } from './support/fake-providers.js';
import { startTestServer, type TestServer } from './support/test-server.js';

/**
 * Issue 17's lead scoring report and conversion model over seeded rows with
 * explicit times and hand-computed answers (docs/reports.md, "Lead scoring
 * report" and "Conversion probability"). Tenant A is in Europe/Madrid (UTC+1
 * in early March), open Mon–Fri 09:00–17:00; tenant C has 60 closed leads
 * whose outcome depends on how fast they were answered; tenant B is another
 * business whose rows never count for A.
 */
describe('lead scoring report and conversion probability', () => {
  let server: TestServer;
  let a: Awaited<ReturnType<typeof createClient>>;
  let b: Awaited<ReturnType<typeof createClient>>;
  let c: Awaited<ReturnType<typeof createClient>>;
  const q = (text: string, params: unknown[] = []) => sqlOf(server.db.orm).query(text, params);
  const api = async (path: string, key: string, init: { method?: string; body?: unknown } = {}) => {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method: init.method ?? 'GET',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await res.text();
    // biome-ignore lint/suspicious/noExplicitAny: test responses are read loosely
    const body = (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as any;
    return { status: res.status, body, headers: res.headers };
  };

  interface Seed {
    at: string | Date;
    status: string;
    temperature: string;
    score?: number | null;
    source?: string;
    email?: string | null;
    /** Seconds until the first answer; null: never answered. */
    answer: number | null;
  }
  async function seedLead(clientId: string, s: Seed): Promise<string> {
    const id = randomUUID();
    const at = new Date(s.at);
    const source = s.source ?? 'web';
    await q(
      `insert into leads (id, client_id, email, handles, source, qualification, score, score_evidence, status, temperature, created_at, updated_at)
       values (?, ?, ?, '{}', ?, '{"custom":{}}'::jsonb, ?, '[]', ?, ?, ?, ?)`,
      [id, clientId, s.email ?? null, source, s.score ?? null, s.status, s.temperature, at, at],
    );
    await conversation(clientId, id, source, at, s.answer);
    return id;
  }
  async function conversation(clientId: string, leadId: string, channel: string, at: Date, answer: number | null) {
    const conv = randomUUID();
    await q(
      `insert into conversations (id, client_id, lead_id, channel, status, mode, last_seq, created_at, updated_at)
       values (?, ?, ?, ?, 'active', 'ai', 2, ?, ?)`,
      [conv, clientId, leadId, channel, at, at],
    );
    const msg = (seq: number, role: string, when: Date) =>
      q(
        `insert into messages (id, client_id, conversation_id, seq, role, content, attachments, channel, delivery_state, created_at)
         values (?, ?, ?, ?, ?, 'text', '[]', ?, 'sent', ?)`,
        [randomUUID(), clientId, conv, seq, role, channel, when],
      );
    await msg(1, 'visitor', at);
    if (answer !== null) await msg(2, 'ai', new Date(at.getTime() + answer * 1000));
  }

  const leads: Record<string, string> = {};
  beforeAll(async () => {
    server = await startTestServer({
      db: 'postgres',
      env: { REPORTS_SWEEP_INTERVAL_MS: '0', REPORTS_MAX_STALENESS_MS: '0' },
    });
    const weekdays = { open: '09:00', close: '17:00' };
    a = await createClient(server.db.orm.em.fork(), {
      name: 'Madrid Dental',
      industry: 'other',
      timezone: 'Europe/Madrid',
      config: {
        businessHours: { mon: [weekdays], tue: [weekdays], wed: [weekdays], thu: [weekdays], fri: [weekdays] },
      },
    });
    b = await createClient(server.db.orm.em.fork(), { name: 'Other', industry: 'other', timezone: 'Europe/Madrid' });
    c = await createClient(server.db.orm.em.fork(), { name: 'Fast Clinic', industry: 'other', timezone: 'UTC' });
    const A = a.client.id;
    // Week of Mon 2 Mar (local). Mon 10:00 local: hot, won, answered in 30 s.
    leads.l1 = await seedLead(A, {
      at: '2026-03-02T09:00:00Z',
      status: 'closed_won',
      temperature: 'hot',
      score: 80,
      answer: 30,
    });
    // Tue 20:00 local: warm, lost, answered in 10 min (WhatsApp).
    leads.l2 = await seedLead(A, {
      at: '2026-03-03T19:00:00Z',
      status: 'closed_lost',
      temperature: 'warm',
      score: 50,
      source: 'whatsapp',
      answer: 600,
    });
    // Sun 8 Mar 23:30 local (22:30 UTC): still the first week. Cold, won, answered in 3 min.
    leads.l3 = await seedLead(A, {
      at: '2026-03-08T22:30:00Z',
      status: 'closed_won',
      temperature: 'cold',
      score: 20,
      answer: 180,
    });
    // Mon 9 Mar 00:30 local (8 Mar 23:30 UTC): the second week. Hot, qualified (not closed), answered in 5 s.
    leads.l4 = await seedLead(A, {
      at: '2026-03-08T23:30:00Z',
      status: 'qualified',
      temperature: 'hot',
      score: 75,
      answer: 5,
    });
    // Wed 11 Mar: unscored, lost, never answered.
    leads.l5 = await seedLead(A, {
      at: '2026-03-11T11:00:00Z',
      status: 'closed_lost',
      temperature: 'unscored',
      answer: null,
    });
    // Thu 12 Mar: cold, lost, answered after 3 h.
    leads.l6 = await seedLead(A, {
      at: '2026-03-12T11:00:00Z',
      status: 'closed_lost',
      temperature: 'cold',
      score: 10,
      answer: 10_800,
    });
    // Fri 13 Mar: hot, won, first conversation answered in 45 s; a later one in 2 s does not count.
    leads.l7 = await seedLead(A, {
      at: '2026-03-13T11:00:00Z',
      status: 'closed_won',
      temperature: 'hot',
      score: 90,
      answer: 45,
    });
    await conversation(A, leads.l7, 'sms', new Date('2026-03-13T15:00:00Z'), 2);
    // Sun 1 Mar 23:30 local (22:30 UTC): the day before the period.
    await seedLead(A, { at: '2026-03-01T22:30:00Z', status: 'closed_won', temperature: 'hot', score: 90, answer: 1 });
    // Another business, same week: never counted for A.
    leads.other = await seedLead(b.client.id, {
      at: '2026-03-04T10:00:00Z',
      status: 'closed_won',
      temperature: 'hot',
      answer: 1,
    });

    // Tenant C: 60 closed leads in February. Answered fast (10–68 s): 27 won, 3 lost; slowly (3–8 h): 3 won, 27 lost.
    for (let i = 0; i < 60; i++) {
      const fast = i < 30;
      const won = fast ? i % 10 !== 0 : i % 10 === 0;
      await seedLead(c.client.id, {
        at: new Date(Date.UTC(2026, 1, 1 + (i % 27), 10, i)),
        status: won ? 'closed_won' : 'closed_lost',
        temperature: 'warm',
        score: 50,
        email: `lead${i}@fast.test`,
        answer: fast ? 10 + (i % 30) * 2 : 3 * 3600 + (i % 30) * 600,
      });
    }
    leads.cFast = await seedLead(c.client.id, {
      at: '2026-03-02T10:00:00Z',
      status: 'new',
      temperature: 'warm',
      score: 50,
      answer: 20,
    });
    leads.cSlow = await seedLead(c.client.id, {
      at: '2026-03-02T11:00:00Z',
      status: 'new',
      temperature: 'warm',
      score: 50,
      answer: 5 * 3600,
    });
  }, 120_000);
  afterAll(async () => {
    await server?.dispose();
  });

  const period = '/reports/scoring?from=2026-03-02&to=2026-03-15';

  it('counts leads by week and temperature in the tenant zone, and the won rate by first response time', async () => {
    const { status, body } = await api(period, a.apiKey);
    expect(status).toBe(200);
    const r = body as ScoringReportDto;
    expect(r).toMatchObject({ timezone: 'Europe/Madrid', from: '2026-03-02', to: '2026-03-15' });
    expect(r.temperatureByWeek).toEqual([
      { weekStart: '2026-03-02', hot: 1, warm: 1, cold: 1, unscored: 0 },
      { weekStart: '2026-03-09', hot: 2, warm: 0, cold: 1, unscored: 1 },
    ]);
    expect(r.summary).toEqual({ leads: 7, hot: 3, warm: 1, cold: 2, unscored: 1, qualified: 4, won: 3, lost: 3 });
    const effect = Object.fromEntries(r.responseEffect.map((e) => [e.bucket, [e.closed, e.won, e.lost, e.wonRate]]));
    expect(effect).toEqual({
      under_1_min: [2, 2, 0, 1],
      '1_5_min': [1, 1, 0, 1],
      '5_30_min': [1, 0, 1, 0],
      '30_120_min': [0, 0, 0, null],
      '2_24_h': [1, 0, 1, 0],
      over_24_h: [0, 0, 0, null],
      never: [1, 0, 1, 0],
    });
    const byTemp = Object.fromEntries(r.byTemperature.map((e) => [e.temperature, [e.closed, e.won, e.wonRate]]));
    expect(byTemp).toEqual({ hot: [2, 2, 1], warm: [1, 0, 0], cold: [2, 1, 0.5], unscored: [1, 0, 0] });
    // Seven closed leads in all (the one before the period too): not enough for a model.
    expect(r.model.source).toBe('heuristic');
    expect(r.model.calibration).toBeNull();
  });

  it('streams the same figures as CSV', async () => {
    const { status, body, headers } = await api(period.replace('scoring', 'scoring.csv'), a.apiKey);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toContain('text/csv');
    const lines = (body as string)
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toBe('section,key,measure,value');
    expect(lines).toContain('temperature_by_week,2026-03-09,hot,2');
    expect(lines).toContain('response_effect,under_1_min,wonRate,1');
    expect(lines).toContain('response_effect,30_120_min,wonRate,');
    expect(lines).toContain('won_rate_by_temperature,cold,wonRate,0.5');
  });

  it('refuses a bad period and needs analytics permission', async () => {
    const bad = await api('/reports/scoring?from=2026-03-15&to=2026-03-02', a.apiKey);
    expect(bad.status).toBe(400);
    const anonymous = await fetch(`${server.url}/api/v1${period}`);
    expect(anonymous.status).toBe(401);
  });

  it('labels a tenant with too few outcomes heuristic, on refit and on the lead', async () => {
    const refit = await api('/reports/scoring/model/refit', a.apiKey, { method: 'POST' });
    expect(refit.status).toBe(200);
    const status = refit.body as ConversionModelStatus;
    expect(status).toMatchObject({ source: 'heuristic', trainingSize: 7, won: 4, lost: 3, calibration: null });
    expect(status.reason).toContain('too few outcomes: 7 closed leads (4 won, 3 lost)');
    const lead = await api(`/leads/${leads.l1}`, a.apiKey);
    expect(lead.body.conversion).toEqual({ probability: 0.8, source: 'heuristic', modelFittedAt: null });
    const unscored = await api(`/leads/${leads.l5}`, a.apiKey);
    expect(unscored.body.conversion).toEqual({ probability: null, source: 'heuristic', modelFittedAt: null });
  });

  it("fits a tenant's model on its own outcomes: it separates fast from slow answers and reports its calibration", async () => {
    const refit = await api('/reports/scoring/model/refit', c.apiKey, { method: 'POST' });
    expect(refit.status).toBe(200);
    const m = refit.body as ConversionModelStatus;
    expect(m).toMatchObject({ source: 'model', trainingSize: 60, won: 30, lost: 30, reason: null, lambda: 1 });
    expect(m.fittedAt).not.toBeNull();
    const cal = m.calibration;
    if (!cal) throw new Error('no calibration');
    expect(cal.folds).toBe(5);
    // Cross-validated (folds by lead id, so they differ from run to run): ranks won above lost far better than
    // chance (0.9 if every lead of a group scored alike).
    expect(cal.auc as number).toBeGreaterThan(0.75);
    // The baseline (always the other folds' won rate, about 0.5) scores about 0.25 (a little more: a fold with
    // more won leads leaves fewer in the rest); the model must do clearly better.
    expect(cal.baselineBrier).toBeGreaterThanOrEqual(0.25);
    expect(cal.baselineBrier).toBeLessThan(0.3);
    expect(cal.brier).toBeLessThan(cal.baselineBrier - 0.05);
    expect(cal.bins.reduce((s, x) => s + x.count, 0)).toBe(60);
    // A slower first answer lowers the odds.
    expect(m.coefficients[m.features.indexOf('log_first_response_minutes')] as number).toBeLessThan(0);

    const fast = (await api(`/leads/${leads.cFast}`, c.apiKey)).body.conversion;
    const slow = (await api(`/leads/${leads.cSlow}`, c.apiKey)).body.conversion;
    expect(fast).toMatchObject({ source: 'model', modelFittedAt: m.fittedAt });
    expect(slow.source).toBe('model');
    expect(fast.probability).toBeGreaterThan(0.65);
    expect(slow.probability).toBeLessThan(0.35);
    // The report shows the model's status.
    const report = (await api('/reports/scoring?period=last_90_days', c.apiKey)).body as ScoringReportDto;
    expect(report.model).toMatchObject({ source: 'model', trainingSize: 60, fittedAt: m.fittedAt });
  });

  it("never uses one tenant's model for another's leads", async () => {
    // C has a model; A still gets its heuristic, and cannot read C's lead at all.
    expect((await api(`/leads/${leads.l7}`, a.apiKey)).body.conversion).toEqual({
      probability: 0.9,
      source: 'heuristic',
      modelFittedAt: null,
    });
    expect((await api(`/leads/${leads.cFast}`, a.apiKey)).status).toBe(404);
    const models = new ConversionModels(sqlOf(server.db.orm));
    expect(await models.estimate(a.client, leads.cFast)).toBeNull();
    expect((await models.status(b.client.id)).source).toBe('heuristic');
  });

  it('fits a night once, although two processes run the nightly job at the same time', async () => {
    const sql = sqlOf(server.db.orm);
    const [first, second] = [new ConversionModels(sql), new ConversionModels(sql)];
    const runs = await Promise.all([first.refit(c.client, '2026-03-20'), second.refit(c.client, '2026-03-20')]);
    expect(runs.map((r) => r.fitted).sort()).toEqual([false, true]);
    const [row] = (await q(
      "select to_char(fitted_day, 'YYYY-MM-DD') as day from conversion_models where client_id = ?",
      [c.client.id],
    )) as Array<{ day: string }>;
    expect(row?.day).toBe('2026-03-20');
    // The same night again: nothing to do; the next night fits.
    expect((await first.refit(c.client, '2026-03-20')).fitted).toBe(false);
    expect((await first.refit(c.client, '2026-03-21')).fitted).toBe(true);
  });

  it('queues the nightly refit after 03:00 local, once per tenant and night, and the worker fits it', async () => {
    const sql = sqlOf(server.db.orm);
    // 02:30 UTC: before 03:00 for C (UTC); already 03:30 in Madrid for A and B (their closed leads).
    expect(await queueNightlyRefits(sql, server.jobs, new Date('2026-04-01T02:30:00Z'))).toBe(2);
    const fittedDay = async () =>
      (
        (await q("select to_char(fitted_day, 'YYYY-MM-DD') as day from conversion_models where client_id = ?", [
          c.client.id,
        ])) as Array<{ day: string }>
      )[0]?.day;
    const at = new Date('2026-04-01T04:00:00Z');
    // C's night (A's and B's may be fitted already: their jobs run meanwhile).
    expect(await queueNightlyRefits(sql, server.jobs, at)).toBeGreaterThanOrEqual(1);
    await waitFor(async () => (await fittedDay()) === '2026-04-01', 15_000);
    await waitFor(async () => (await queueNightlyRefits(sql, server.jobs, at)) === 0, 15_000);
    // Still the tenant's own model, refitted on the same 60 outcomes.
    expect((await api('/reports/scoring?period=last_7_days', c.apiKey)).body.model).toMatchObject({
      source: 'model',
      trainingSize: 60,
    });
  });
});
