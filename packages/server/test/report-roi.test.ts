import { randomUUID } from 'node:crypto';
import type { RoiReportDto } from '@leaddesk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlOf } from '../src/db/sql.js';
import { createClient } from '../src/tenants/tenant-service.js';
import { startTestServer, type TestServer } from './support/test-server.js';

/**
 * The ROI report and the reports as CSV (docs/reports.md) over a seeded data
 * set with explicit timestamps and hand-computed answers. The tenant is in
 * Europe/London, whose clocks go forward on Sunday 2026-03-29 at 01:00 UTC
 * (a 23-hour local day); its plan costs 310 a month; the price table is the
 * default one with a house model added and gpt-4o-mini removed by
 * AI_MODEL_PRICES. A second tenant's rows never reach the first's answers.
 */
describe('ROI report and report CSVs', () => {
  let server: TestServer;
  let a: Awaited<ReturnType<typeof createClient>>;
  let b: Awaited<ReturnType<typeof createClient>>;
  const q = (text: string, params: unknown[] = []) => sqlOf(server.db.orm).query(text, params);
  const get = async (path: string, key: string) => {
    const res = await fetch(`${server.url}/api/v1${path}`, { headers: { authorization: `Bearer ${key}` } });
    const bytes = Buffer.from(await res.arrayBuffer());
    return { status: res.status, headers: res.headers, bytes, text: bytes.toString('utf8') };
  };
  const roi = async (path: string, key: string) => {
    const res = await get(path, key);
    expect(res.status, res.text).toBe(200);
    return JSON.parse(res.text) as RoiReportDto;
  };

  async function lead(
    clientId: string,
    at: string,
    status: string,
    service: string | null,
    extra: { appointmentAt?: string; temperature?: string } = {},
  ): Promise<string> {
    const id = randomUUID();
    await q(
      `insert into leads (id, client_id, handles, source, qualification, score_evidence, status, temperature,
         appointment_at, created_at, updated_at)
       values (?, ?, '{}', 'web', ?::jsonb, '[]', ?, ?, ?, ?, ?)`,
      [
        id,
        clientId,
        JSON.stringify(service ? { serviceInterest: service, custom: {} } : { custom: {} }),
        status,
        extra.temperature ?? 'unscored',
        extra.appointmentAt ? new Date(extra.appointmentAt) : null,
        new Date(at),
        new Date(at),
      ],
    );
    return id;
  }
  /** A conversation of the lead created at `at`, with its messages (role, time) in order. */
  async function conversation(clientId: string, leadId: string, at: string, steps: Array<[string, string]>) {
    const id = randomUUID();
    await q(
      `insert into conversations (id, client_id, lead_id, channel, status, mode, last_seq, created_at, updated_at)
       values (?, ?, ?, 'web', 'active', 'ai', ?, ?, ?)`,
      [id, clientId, leadId, steps.length, new Date(at), new Date(at)],
    );
    for (const [i, [role, when]] of steps.entries()) {
      await q(
        `insert into messages (id, client_id, conversation_id, seq, role, content, attachments, channel, delivery_state, created_at)
         values (?, ?, ?, ?, ?, 'text', '[]', 'web', 'sent', ?)`,
        [randomUUID(), clientId, id, i + 1, role, new Date(when)],
      );
    }
  }
  /** A lead whose one conversation starts with the visitor at `at`, answered first by `by` 5 s later. */
  async function answered(
    clientId: string,
    at: string,
    by: 'ai' | 'staff',
    status: string,
    service: string | null,
    extra: { appointmentAt?: string; temperature?: string } = {},
  ) {
    const id = await lead(clientId, at, status, service, extra);
    const later = new Date(Date.parse(at) + 5000).toISOString();
    await conversation(clientId, id, at, [
      ['visitor', at],
      [by, later],
    ]);
    return id;
  }
  async function usage(clientId: string, day: string, model: string, tokens: [number, number, number, number]) {
    await q(
      `insert into usage_logs (id, client_id, model, day, requests, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens)
       values (?, ?, ?, ?::date, 10, ?, ?, ?, ?)`,
      [randomUUID(), clientId, model, day, ...tokens],
    );
  }

  beforeAll(async () => {
    server = await startTestServer({
      db: 'postgres',
      env: {
        REPORTS_SWEEP_INTERVAL_MS: '0',
        REPORTS_MAX_STALENESS_MS: '0',
        AI_MODEL_PRICES: JSON.stringify({
          'house-model': { input: 2, output: 8, cacheRead: 0.5, cacheWrite: 2 },
          'gpt-4o-mini': null,
        }),
      },
    });
    a = await createClient(server.db.orm.em.fork(), {
      name: 'ROI Dental',
      industry: 'other',
      timezone: 'Europe/London',
      config: {
        services: ['Implants', 'Whitening'],
        serviceValues: { Implants: 3000, Whitening: 300 },
        reports: { planMonthlyCost: 310 },
      },
    });
    b = await createClient(server.db.orm.em.fork(), {
      name: 'Other Clinic',
      industry: 'other',
      timezone: 'Europe/London',
      config: { services: ['Implants'] },
    });
    const A = a.client.id;
    // Credited (the AI answered first): qualified implants; booked implants; won whitening late on the DST Sunday
    // (22:30 UTC = 23:30 BST, still the 29th); qualified with a service nobody valued.
    await answered(A, '2026-03-23T10:00:00Z', 'ai', 'qualified', 'Implants');
    await answered(A, '2026-03-23T20:00:00Z', 'ai', 'appointment_booked', 'implants please');
    await answered(A, '2026-03-29T22:30:00Z', 'ai', 'closed_won', 'Whitening');
    await answered(A, '2026-03-26T09:00:00Z', 'ai', 'qualified', 'Teeth cleaning');
    // Credited, booked but not qualified (new, with an appointment time): booked value only.
    await answered(A, '2026-03-25T12:00:00Z', 'ai', 'new', 'Implants', { appointmentAt: '2026-04-02T10:00:00Z' });
    // Credited, no outcome, hot: an inquiry only.
    await answered(A, '2026-03-24T08:00:00Z', 'ai', 'new', null, { temperature: 'hot' });
    // Not credited: staff answered first (the AI's later answer does not change it). Won whitening.
    const staffFirst = await lead(A, '2026-03-27T11:00:00Z', 'closed_won', 'Whitening');
    await conversation(A, staffFirst, '2026-03-27T11:00:00Z', [
      ['visitor', '2026-03-27T11:00:00Z'],
      ['staff', '2026-03-27T11:02:00Z'],
      ['visitor', '2026-03-27T11:03:00Z'],
      ['ai', '2026-03-27T11:03:05Z'],
    ]);
    // Not credited: its first conversation was never answered; the AI answered its second one.
    const unanswered = await lead(A, '2026-03-28T14:00:00Z', 'qualified', 'Implants');
    await conversation(A, unanswered, '2026-03-28T14:00:00Z', [['visitor', '2026-03-28T14:00:00Z']]);
    await conversation(A, unanswered, '2026-03-28T15:00:00Z', [
      ['visitor', '2026-03-28T15:00:00Z'],
      ['ai', '2026-03-28T15:00:04Z'],
    ]);
    // Not credited: an AI greeting before the visitor wrote is no answer; staff answered the visitor.
    const greeted = await lead(A, '2026-03-26T18:00:00Z', 'handed_off', 'Whitening');
    await conversation(A, greeted, '2026-03-26T18:00:00Z', [
      ['ai', '2026-03-26T18:00:00Z'],
      ['visitor', '2026-03-26T18:01:00Z'],
      ['staff', '2026-03-26T18:02:00Z'],
    ]);
    // 23:30 UTC on the 29th is 00:30 BST on Monday 30th: the next period's.
    await answered(A, '2026-03-29T23:30:00Z', 'ai', 'qualified', 'Whitening');

    // Tokens (UTC days). Sonnet on two days, a dated Haiku snapshot, the house model, gpt-4o-mini (price removed)
    // and an unknown model; the day before the period does not count.
    await usage(A, '2026-03-24', 'claude-sonnet-4-6', [1_000_000, 200_000, 2_000_000, 100_000]);
    await usage(A, '2026-03-29', 'claude-sonnet-4-6', [1_000_000, 0, 0, 0]);
    await usage(A, '2026-03-25', 'claude-haiku-4-5-20251001', [500_000, 100_000, 0, 0]);
    await usage(A, '2026-03-26', 'house-model', [1_000_000, 250_000, 0, 0]);
    await usage(A, '2026-03-26', 'gpt-4o-mini', [2_000_000, 1_000_000, 0, 0]);
    await usage(A, '2026-03-27', 'mystery-model', [300_000, 0, 0, 0]);
    await usage(A, '2026-03-22', 'claude-sonnet-4-6', [10_000_000, 0, 0, 0]);

    // The other tenant, same week: a credited qualified lead (no values set, no plan) and its own tokens.
    const B = b.client.id;
    await answered(B, '2026-03-24T21:00:00Z', 'ai', 'qualified', 'Implants');
    await usage(B, '2026-03-24', 'claude-sonnet-4-6', [5_000_000, 0, 0, 0]);
  }, 60_000);
  afterAll(async () => {
    await server?.dispose();
  });

  const week = '/reports/roi?from=2026-03-23&to=2026-03-29';

  it('credits the leads whose first answer came from the AI, values them and sets them against the plan', async () => {
    const body = await roi(week, a.apiKey);
    expect(body).toMatchObject({
      timezone: 'Europe/London',
      from: '2026-03-23',
      to: '2026-03-29',
      days: 7,
      currency: 'EUR',
      attribution: 'first_answer_by_ai',
      // Nine leads in the week (the 00:30 BST Monday one is next week's).
      inquiries: 9,
      // Credited: implants, booked implants, won whitening, teeth cleaning.
      qualified: 4,
      booked: 2,
      won: 1,
      qualifiedValue: 3000 + 3000 + 300,
      bookedValue: 3000 + 3000,
      wonValue: 300,
      qualifiedWithoutValue: 1,
      // Plus the staff-first, never-answered and greeted leads.
      allQualified: 7,
      allBooked: 2,
      allWon: 2,
      planMonthlyCost: 310,
      // 7 days × 310 / 31.
      planCost: 70,
      roi: 90,
    });
    expect(body.headline).toBe('Lead Desk generated 4 qualified leads worth €6,300 from Mar 23, 2026 to Mar 29, 2026');
    expect(body.byWeek).toEqual([{ weekStart: '2026-03-23', qualified: 4, booked: 2, won: 1, qualifiedValue: 6300 }]);
  });

  it('prices the tokens per model, reports unpriced models instead of counting them free', async () => {
    const { aiSpend } = await roi(week, a.apiKey);
    // Sonnet 4.6: 2M input × 3 + 0.2M output × 15 + 2M cache reads × 0.30 + 0.1M cache writes × 3.75 = 9.975;
    // Haiku 4.5 (a dated snapshot): 0.5M × 1 + 0.1M × 5 = 1; the house model: 1M × 2 + 0.25M × 8 = 4.
    expect(aiSpend.currency).toBe('USD');
    expect(aiSpend.cost).toBe(14.975);
    expect(aiSpend.tokens).toBe(3_300_000 + 1_000_000 + 600_000 + 1_250_000 + 3_000_000 + 300_000);
    expect(aiSpend.unpricedTokens).toBe(3_300_000);
    expect(aiSpend.unpricedModels).toEqual(['gpt-4o-mini', 'mystery-model']);
    expect(aiSpend.byModel.map((m) => [m.model, m.pricedAs, m.cost])).toEqual([
      ['claude-haiku-4-5-20251001', 'claude-haiku-4-5', 1],
      ['claude-sonnet-4-6', 'claude-sonnet-4-6', 9.975],
      ['gpt-4o-mini', null, null],
      ['house-model', 'house-model', 4],
      ['mystery-model', null, null],
    ]);
    expect(aiSpend.byModel.find((m) => m.model === 'claude-sonnet-4-6')).toMatchObject({
      requests: 20,
      inputTokens: 2_000_000,
      outputTokens: 200_000,
      cacheReadTokens: 2_000_000,
      cacheWriteTokens: 100_000,
    });
  });

  it('prorates the plan by the days of each month and follows the local day across the clock change', async () => {
    // 30–31 March (2 × 310/31) and 1–2 April (2 × 310/30) = 40.67; the lead of 00:30 BST on the 30th is here.
    const next = await roi('/reports/roi?from=2026-03-30&to=2026-04-02', a.apiKey);
    expect(next).toMatchObject({ days: 4, inquiries: 1, qualified: 1, qualifiedValue: 300, planCost: 40.67 });
    expect(next.roi).toBe(7.38);
    expect(next.headline).toBe('Lead Desk generated 1 qualified lead worth €300 from Mar 30, 2026 to Apr 2, 2026');
    // The Sunday of the clock change alone: 23 hours, holding the 23:30 BST won lead and not the 00:30 one.
    const sunday = await roi('/reports/roi?from=2026-03-29&to=2026-03-29', a.apiKey);
    expect(sunday).toMatchObject({ inquiries: 1, qualified: 1, won: 1, wonValue: 300, planCost: 10 });
    // A whole month costs the monthly price, February's 28 days as March's 31.
    expect((await roi('/reports/roi?from=2026-02-01&to=2026-02-28', a.apiKey)).planCost).toBe(310);
    expect((await roi('/reports/roi?from=2026-03-01&to=2026-03-31', a.apiKey)).planCost).toBe(310);
  });

  it('counts only the calling tenant’s leads and tokens, and has no ratio without a plan cost', async () => {
    const body = await roi(week, b.apiKey);
    expect(body).toMatchObject({
      inquiries: 1,
      qualified: 1,
      qualifiedValue: 0,
      qualifiedWithoutValue: 1,
      planMonthlyCost: null,
      planCost: 0,
      roi: null,
    });
    expect(body.aiSpend).toMatchObject({ cost: 15, tokens: 5_000_000, unpricedTokens: 0 });
    expect((await roi(week, a.apiKey)).inquiries).toBe(9);
  });

  it('sets the plan cost by merge patch and reads it at once', async () => {
    const patch = (body: unknown) =>
      fetch(`${server.url}/api/v1/client`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/merge-patch+json', authorization: `Bearer ${b.apiKey}` },
        body: JSON.stringify(body),
      });
    expect((await patch({ config: { reports: { planMonthlyCost: -5 } } })).status).toBe(400);
    expect((await patch({ config: { reports: { planMonthlyCost: 62 } } })).status).toBe(200);
    expect((await roi(week, b.apiKey)).planCost).toBe(14);
    expect((await patch({ config: { reports: { planMonthlyCost: null } } })).status).toBe(200);
    expect((await roi(week, b.apiKey)).planMonthlyCost).toBeNull();
  });

  it('refuses bad periods with a 400 on the report and on every CSV', async () => {
    for (const report of [
      '/reports/roi',
      '/reports/roi.csv',
      '/reports/response-times.csv',
      '/reports/missed-revenue.csv',
    ]) {
      for (const query of ['?period=fortnight', '?from=2026-03-23', '?from=2026-03-29&to=2026-03-23']) {
        const res = await get(`${report}${query}`, a.apiKey);
        expect(res.status, `${report}${query}`).toBe(400);
        expect(JSON.parse(res.text).error.code).toBe('validation_failed');
      }
    }
  });

  /** The CSV's rows as objects by header (the byte-order mark dropped). */
  const parseCsv = (text: string): Array<Record<string, string>> => {
    const [head = '', ...lines] = text
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    const headers = head.split(',');
    return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [headers[i] as string, v])));
  };
  const expectCsv = (res: { status: number; headers: Headers; bytes: Buffer }, name: string) => {
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${name}"`);
    // The UTF-8 byte-order mark Excel needs.
    expect([...res.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  };

  it('exports the ROI report as CSV, one row per figure and per model', async () => {
    const res = await get('/reports/roi.csv?from=2026-03-23&to=2026-03-29', a.apiKey);
    expectCsv(res, `roi-${a.client.slug}-2026-03-23-to-2026-03-29.csv`);
    expect(res.text.replace(/^\uFEFF/, '').split('\n')[0]).toBe('from,to,timezone,figure,model,value,unit');
    const rows = parseCsv(res.text);
    const value = (figure: string, model = '') => rows.find((r) => r.figure === figure && r.model === model);
    expect(value('attributed_qualified')).toMatchObject({ value: '4', unit: 'leads', timezone: 'Europe/London' });
    expect(value('attributed_qualified_value')).toMatchObject({ value: '6300', unit: 'EUR' });
    expect(value('plan_cost')?.value).toBe('70');
    expect(value('roi')).toMatchObject({ value: '90', unit: 'ratio' });
    expect(value('ai_spend')).toMatchObject({ value: '14.975', unit: 'USD' });
    expect(value('ai_unpriced_tokens')?.value).toBe('3300000');
    expect(value('ai_model_spend', 'mystery-model')).toMatchObject({ value: '', unit: 'unpriced' });
    expect(value('ai_model_spend', 'house-model')).toMatchObject({ value: '4', unit: 'USD' });
    expect(rows).toHaveLength(18 + 2 * 5);
  });

  it('exports the response-time and missed-revenue reports as CSV with the JSON report’s figures', async () => {
    const query = '?from=2026-03-23&to=2026-03-29';
    const json = JSON.parse((await get(`/reports${query}`, a.apiKey)).text);
    const times = await get(`/reports/response-times.csv${query}`, a.apiKey);
    expectCsv(times, `response-times-${a.client.slug}-2026-03-23-to-2026-03-29.csv`);
    const timeRows = parseCsv(times.text);
    // Every figure for all channels and the one channel used (web): 5 × 2 rows.
    expect(timeRows.map((r) => `${r.metric}/${r.channel}`)).toEqual(
      ['first_response', 'first_response_ai', 'first_response_human', 'takeover', 'staff_reply'].flatMap((m) =>
        m === 'takeover' ? [`${m}/all`] : [`${m}/all`, `${m}/web`],
      ),
    );
    const first = timeRows[0] as Record<string, string>;
    // The CSV's figures are the JSON report's (defined and hand-checked in reports.test.ts).
    expect(first.count).toBe(String(json.responseTimes.metrics[0].all.count));
    expect(first.average_seconds).toBe(String(json.responseTimes.metrics[0].all.averageSeconds));
    expect(first.target_seconds).toBe('60');
    expect(Object.keys(first).slice(5, 9)).toEqual(['count', 'average_seconds', 'p50_seconds', 'p90_seconds']);
    expect(timeRows.find((r) => r.metric === 'takeover')).toMatchObject({
      count: '0',
      average_seconds: '',
      meets_target: '',
    });

    const missed = await get(`/reports/missed-revenue.csv${query}`, a.apiKey);
    expectCsv(missed, `missed-revenue-${a.client.slug}-2026-03-23-to-2026-03-29.csv`);
    const missedRows = parseCsv(missed.text);
    expect(missedRows.map((r) => r.week_start)).toEqual(['2026-03-23', 'total']);
    expect(missedRows[1]).toMatchObject({
      after_hours_inquiries: String(json.missedRevenue.afterHoursInquiries),
      qualified: String(json.missedRevenue.qualified),
      qualified_value: String(json.missedRevenue.qualifiedValue),
      currency: 'EUR',
    });
    expect(Number(missedRows[1]?.qualified)).toBeGreaterThan(0);
  });

  it('keeps another tenant’s figures out of its CSVs', async () => {
    const rows = parseCsv((await get('/reports/roi.csv?from=2026-03-23&to=2026-03-29', b.apiKey)).text);
    expect(rows.find((r) => r.figure === 'inquiries')?.value).toBe('1');
    expect(rows.filter((r) => r.figure === 'ai_model_tokens').map((r) => r.model)).toEqual(['claude-sonnet-4-6']);
  });
});
