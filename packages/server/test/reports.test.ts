import { randomUUID } from 'node:crypto';
import type { ReportsDto, ResponseStat } from '@leaddesk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../src/db/entities/index.js';
import { sqlOf } from '../src/db/sql.js';
import { withinBound } from '../src/reports/index.js';
import { createClient } from '../src/tenants/tenant-service.js';
import { startTestServer, type TestServer } from './support/test-server.js';

/**
 * Issue 17's reports over a seeded data set with explicit timestamps and
 * hand-computed answers (docs/reports.md defines every figure). The tenant is
 * in Europe/London, open Mon–Fri 09:00–17:00 and closed on its holiday
 * (Friday 2026-03-27); clocks go forward on Sunday 2026-03-29 at 01:00 UTC,
 * so that local day is 23 hours long. One server, two tenants, API keys.
 */
describe('reports: response-time SLA and missed revenue', () => {
  let server: TestServer;
  let a: Awaited<ReturnType<typeof createClient>>;
  let b: Awaited<ReturnType<typeof createClient>>;
  const api = async (path: string, key: string, init: RequestInit = {}) => {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    });
    return { status: res.status, body: (await res.json()) as ReportsDto & { error?: { code: string } } };
  };
  const q = (text: string, params: unknown[] = []) => sqlOf(server.db.orm).query(text, params);

  const seqs = new Map<string, number>();
  async function conversation(clientId: string, channel: string, leadId: string | null): Promise<string> {
    const id = randomUUID();
    await q(
      `insert into conversations (id, client_id, lead_id, channel, status, mode, last_seq, created_at, updated_at)
       values (?, ?, ?, ?, 'active', 'ai', 0, now(), now())`,
      [id, clientId, leadId, channel],
    );
    return id;
  }
  async function message(clientId: string, conversationId: string, role: string, at: string | Date): Promise<void> {
    const seq = (seqs.get(conversationId) ?? 0) + 1;
    seqs.set(conversationId, seq);
    const [conv] = (await q('select channel from conversations where id = ?', [conversationId])) as Array<{
      channel: string;
    }>;
    await q(
      `insert into messages (id, client_id, conversation_id, seq, role, content, attachments, channel, delivery_state, created_at)
       values (?, ?, ?, ?, ?, 'text', '[]', ?, 'sent', ?)`,
      [randomUUID(), clientId, conversationId, seq, role, conv?.channel, new Date(at)],
    );
  }
  async function lead(
    clientId: string,
    source: string,
    at: string | Date,
    status: string,
    service?: string,
  ): Promise<string> {
    const id = randomUUID();
    await q(
      `insert into leads (id, client_id, handles, source, qualification, score_evidence, status, temperature, created_at, updated_at)
       values (?, ?, '{}', ?, ?::jsonb, '[]', ?, 'unscored', ?, ?)`,
      [
        id,
        clientId,
        source,
        JSON.stringify(service ? { serviceInterest: service, custom: {} } : { custom: {} }),
        status,
        new Date(at),
        new Date(at),
      ],
    );
    return id;
  }
  /** A first message and its reply: one conversation with its lead, created at the first message. */
  async function thread(
    clientId: string,
    channel: string,
    lead_: { status: string; service?: string },
    steps: Array<[string, string]>,
  ): Promise<string> {
    const leadId = await lead(clientId, channel, steps[0]?.[1] as string, lead_.status, lead_.service);
    const id = await conversation(clientId, channel, leadId);
    for (const [role, at] of steps) await message(clientId, id, role, at);
    return id;
  }

  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
  let pendingLead = '';
  let pendingConversation = '';

  beforeAll(async () => {
    server = await startTestServer({
      db: 'postgres',
      env: { REPORTS_SWEEP_INTERVAL_MS: '0', REPORTS_MAX_STALENESS_MS: '0' },
    });
    const weekdays = { open: '09:00', close: '17:00' };
    a = await createClient(server.db.orm.em.fork(), {
      name: 'London Dental',
      industry: 'other',
      timezone: 'Europe/London',
      config: {
        businessHours: { mon: [weekdays], tue: [weekdays], wed: [weekdays], thu: [weekdays], fri: [weekdays] },
        hours: { holidays: [{ date: '2026-03-27', name: 'Staff day' }] },
        services: ['Implants', 'Whitening'],
        serviceValues: { Implants: 3000, Whitening: 300 },
        reports: { firstResponseSeconds: 10 },
      },
    });
    b = await createClient(server.db.orm.em.fork(), {
      name: 'Other Clinic',
      industry: 'other',
      timezone: 'Europe/London',
      config: { services: ['Implants'] },
    });
    const A = a.client.id;
    // Mon 23 Mar 10:00 (open): the AI answers in 7 s. Lead qualified, but in hours: not missed revenue.
    await thread(A, 'web', { status: 'qualified', service: 'Implants' }, [
      ['visitor', '2026-03-23T10:00:00Z'],
      ['ai', '2026-03-23T10:00:07Z'],
    ]);
    // Mon 20:00 (closed), WhatsApp: AI in 5 s; a second run answered by staff in 10 min. Booked implants.
    await thread(A, 'whatsapp', { status: 'appointment_booked', service: 'implants please' }, [
      ['visitor', '2026-03-23T20:00:00Z'],
      ['ai', '2026-03-23T20:00:05Z'],
      ['visitor', '2026-03-23T20:01:00Z'],
      ['note', '2026-03-23T20:05:00Z'],
      ['visitor', '2026-03-23T20:06:00Z'],
      ['staff', '2026-03-23T20:11:00Z'],
    ]);
    // Fri 27 Mar 11:00, a holiday (closed): escalated at 11:00:30, taken over at 11:01:30, staff answer at 11:02.
    const c3 = await thread(A, 'web', { status: 'closed_won', service: 'Whitening' }, [
      ['visitor', '2026-03-27T11:00:00Z'],
      ['staff', '2026-03-27T11:02:00Z'],
    ]);
    await q(
      `insert into escalations (id, client_id, conversation_id, reason, priority, status, detail, created_at)
       values (?, ?, ?, 'visitor_request', 'normal', 'pending', '', ?)`,
      [randomUUID(), A, c3, new Date('2026-03-27T11:00:30Z')],
    );
    await q(
      `insert into conversation_events (id, client_id, conversation_id, kind, created_at) values (?, ?, ?, 'takeover', ?)`,
      [randomUUID(), A, c3, new Date('2026-03-27T11:01:30Z')],
    );
    // Sat 28 Mar 23:50 GMT, answered 30 min later, after local midnight: counts on Saturday.
    await thread(A, 'web', { status: 'new' }, [
      ['visitor', '2026-03-28T23:50:00Z'],
      ['ai', '2026-03-29T00:20:00Z'],
    ]);
    // Sun 29 Mar 22:30 UTC = 23:30 BST: still Sunday (the 23-hour day). AI in 3 s. Qualified implants.
    await thread(A, 'web', { status: 'qualified', service: 'Implants' }, [
      ['visitor', '2026-03-29T22:30:00Z'],
      ['ai', '2026-03-29T22:30:03Z'],
    ]);
    // 23:30 UTC on the 29th = 00:30 BST on Monday 30 Mar: the next week. SMS, AI in 9 s, qualified whitening.
    await thread(A, 'sms', { status: 'qualified', service: 'Whitening' }, [
      ['visitor', '2026-03-29T23:30:00Z'],
      ['ai', '2026-03-29T23:30:09Z'],
    ]);
    // Tue 31 Mar 09:00 UTC = 10:00 BST (open): AI in 4 s.
    await thread(A, 'web', { status: 'new' }, [
      ['visitor', '2026-03-31T09:00:00Z'],
      ['ai', '2026-03-31T09:00:04Z'],
    ]);
    // Two days ago, not answered yet (the incremental test answers it).
    pendingConversation = await thread(A, 'web', { status: 'new' }, [['visitor', minutesAgo(2 * 1440).toISOString()]]);
    pendingLead = (
      (await q('select lead_id from conversations where id = ?', [pendingConversation])) as Array<{ lead_id: string }>
    )[0]?.lead_id as string;

    // The other tenant, same week: AI in 2 s; an after-hours qualified lead with no value set.
    const B = b.client.id;
    await thread(B, 'web', { status: 'qualified', service: 'Implants' }, [
      ['visitor', '2026-03-24T21:00:00Z'],
      ['ai', '2026-03-24T21:00:02Z'],
    ]);
  }, 60_000);
  afterAll(async () => {
    await server?.dispose();
  });

  const week1 = '/reports?from=2026-03-23&to=2026-03-29';
  const week2 = '/reports?from=2026-03-30&to=2026-04-05';
  const metric = (r: ReportsDto, name: string) => {
    const m = r.responseTimes.metrics.find((x) => x.metric === name);
    if (!m) throw new Error(`no metric ${name}`);
    return m;
  };
  /** Count and average exact; percentiles within the histogram's bound (docs/reports.md). */
  const expectStat = (s: ResponseStat, count: number, average: number | null, p50?: number, p90?: number) => {
    expect(s.count).toBe(count);
    expect(s.averageSeconds).toBe(average);
    if (p50 !== undefined) expect(withinBound(s.p50Seconds as number, p50), `p50 ${s.p50Seconds} vs ${p50}`).toBe(true);
    if (p90 !== undefined) expect(withinBound(s.p90Seconds as number, p90), `p90 ${s.p90Seconds} vs ${p90}`).toBe(true);
  };

  it('reports response times by channel and in/out of hours, with the DST day and a reply after midnight', async () => {
    const { status, body } = await api(week1, a.apiKey);
    expect(status).toBe(200);
    expect(body).toMatchObject({ timezone: 'Europe/London', from: '2026-03-23', to: '2026-03-29' });
    // First responses: 7 (open), 5, 120 (holiday, staff), 1800 (Saturday night, across midnight), 3 (Sunday 23:30 BST).
    // 1935 s / 5 = 387 s. The 9 s reply at 00:30 BST on Monday 30th is next week's.
    expect(body.responseTimes.averageSeconds).toBe(387);
    expect(body.responseTimes.headline).toBe('Average response time: 6 min 27 s');
    const first = metric(body, 'first_response');
    expectStat(first.all, 5, 387, 7, 1800);
    expectStat(first.inHours, 1, 7, 7, 7);
    expectStat(first.outOfHours, 4, 482, 5, 1800);
    expect(first.targetSeconds).toBe(10);
    expect(first.meetsTarget).toBe(false);
    expect(first.byChannel.map((c) => [c.channel, c.all.count, c.all.averageSeconds])).toEqual([
      ['web', 4, 482.5],
      ['whatsapp', 1, 5],
    ]);
    expect(first.byChannel.find((c) => c.channel === 'whatsapp')?.meetsTarget).toBe(true);
    expectStat(metric(body, 'first_response_ai').all, 4, 453.8);
    expectStat(metric(body, 'first_response_human').all, 1, 120, 120, 120);
    // Staff replies: the WhatsApp run (20:01 → 20:11, the note does not end it) and the holiday answer.
    const staff = metric(body, 'staff_reply');
    expectStat(staff.all, 2, 360, 120, 600);
    expect(staff.inHours.count).toBe(0);
    expectStat(metric(body, 'takeover').all, 1, 60, 60, 60);
    expect(metric(body, 'takeover').targetSeconds).toBe(900);
    expect(metric(body, 'takeover').meetsTarget).toBe(true);
  });

  it('reports missed revenue: after-hours inquiries, their outcomes and value, by week', async () => {
    const { body } = await api(week1, a.apiKey);
    expect(body.missedRevenue).toMatchObject({
      currency: 'EUR',
      inquiries: 5,
      afterHoursInquiries: 4,
      qualified: 3,
      booked: 1,
      won: 1,
      qualifiedValue: 6300,
      bookedValue: 3000,
      wonValue: 300,
      qualifiedWithoutValue: 0,
    });
    expect(body.missedRevenue.headline).toBe(
      'You had 4 after-hours inquiries from Mar 23, 2026 to Mar 29, 2026; 3 qualified, worth €6,300',
    );
    expect(body.missedRevenue.byWeek).toEqual([
      { weekStart: '2026-03-23', inquiries: 4, qualified: 3, booked: 1, won: 1, qualifiedValue: 6300 },
    ]);

    // The next week starts with the lead of 00:30 BST on Monday.
    const next = (await api(week2, a.apiKey)).body;
    expect(next.responseTimes.headline).toBe('Average response time: 7 s');
    expectStat(metric(next, 'first_response').all, 2, 6.5);
    expect(next.missedRevenue.headline).toBe(
      'You had 1 after-hours inquiry from Mar 30, 2026 to Apr 5, 2026; 1 qualified, worth €300',
    );
  });

  it('speaks the tenant’s locale: the headlines’ words, plurals, dates and money', async () => {
    const setLocale = (locale: unknown) =>
      fetch(`${server.url}/api/v1/client`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/merge-patch+json', authorization: `Bearer ${a.apiKey}` },
        body: JSON.stringify({ locale }),
      });
    // Not a locale: refused, and the reports stay English.
    expect((await setLocale('not a locale!')).status).toBe(400);
    expect((await api(week1, a.apiKey)).body.responseTimes.headline).toBe('Average response time: 6 min 27 s');
    try {
      expect((await setLocale('es-ES')).status).toBe(200);
      let body = (await api(week1, a.apiKey)).body;
      expect(body.responseTimes.headline).toBe('Tiempo medio de respuesta: 6 min 27 s');
      expect(body.missedRevenue.headline).toBe(
        'Recibió 4 consultas fuera de horario del 23 mar 2026 al 29 mar 2026; 3 cualificadas, por valor de 6300\u00a0€',
      );
      // The singular, and the named period's words.
      body = (await api(week2, a.apiKey)).body;
      expect(body.missedRevenue.headline).toMatch(/^Recibió 1 consulta fuera de horario del 30 mar 2026 al /);
      expect((await api('/reports?period=last_30_days', a.apiKey)).body.missedRevenue.headline).toContain(
        'en los últimos 30 días',
      );
      // German: words, the period before the count, and German number formats.
      expect((await setLocale('de-DE')).status).toBe(200);
      body = (await api(week1, a.apiKey)).body;
      expect(body.responseTimes.headline).toBe('Durchschnittliche Antwortzeit: 6 min 27 s');
      expect(body.missedRevenue.headline).toBe(
        'Sie hatten vom 23.03.2026 bis 29.03.2026 4 Anfragen außerhalb der Öffnungszeiten; 3 qualifiziert, im Wert von 6.300\u00a0€',
      );
      // A language the reports do not speak: English words, the locale's own formats are not mixed in.
      expect((await setLocale('ja-JP')).status).toBe(200);
      expect((await api(week1, a.apiKey)).body.responseTimes.headline).toBe('Average response time: 6 min 27 s');
    } finally {
      expect((await setLocale('en')).status).toBe(200);
    }
  });

  it('counts only the calling tenant’s data', async () => {
    const { status, body } = await api(week1, b.apiKey);
    expect(status).toBe(200);
    expectStat(metric(body, 'first_response').all, 1, 2);
    expect(metric(body, 'staff_reply').all.count).toBe(0);
    expect(body.missedRevenue).toMatchObject({
      inquiries: 1,
      afterHoursInquiries: 1,
      qualified: 1,
      qualifiedValue: 0,
      qualifiedWithoutValue: 1,
    });
    // And the first tenant's answer is unchanged by the second's rows.
    expect((await api(week1, a.apiKey)).body.responseTimes.averageSeconds).toBe(387);
  });

  it('refuses bad periods with a 400 and changes nothing', async () => {
    for (const path of [
      '/reports?period=fortnight',
      '/reports?from=2026-03-23',
      '/reports?from=2026-03-29&to=2026-03-23',
      '/reports?from=2025-01-01&to=2026-03-23',
      '/reports?from=23/03/2026&to=2026-03-29',
    ]) {
      const res = await api(path, a.apiKey);
      expect(res.status, path).toBe(400);
      expect(res.body.error?.code).toBe('validation_failed');
    }
  });

  it('keeps the rollup equal to the raw computation as new messages and outcomes arrive', async () => {
    const client = () => server.db.orm.em.fork().findOneOrFail(Client, { id: a.client.id });
    const before = (await api('/reports?period=last_7_days', a.apiKey)).body;
    const firstBefore = metric(before, 'first_response').all.count;
    // A reply now to the message of two days ago: only that day's row changes (nothing else happened then).
    await message(a.client.id, pendingConversation, 'ai', minutesAgo(1));
    const replied = (await api('/reports?period=last_7_days', a.apiKey)).body;
    expect(metric(replied, 'first_response').all.count).toBe(firstBefore + 1);
    expectSameReport(replied, await server.app.reports.rawReport(await client(), { period: 'last_7_days' }));
    // A new conversation answered by staff, and the lead of two days ago qualifies for whitening.
    await thread(a.client.id, 'whatsapp', { status: 'new' }, [
      ['visitor', minutesAgo(3).toISOString()],
      ['staff', minutesAgo(1).toISOString()],
    ]);
    await q(
      `update leads set status = 'qualified', qualification = '{"serviceInterest":"Whitening","custom":{}}', updated_at = now() where id = ?`,
      [pendingLead],
    );
    // Two processes' worth of refreshes at once: they take turns on the tenant's lock.
    await Promise.all([server.app.reports.sweep(), server.app.reports.sweep(), api('/reports', a.apiKey)]);
    const after = (await api('/reports?period=last_7_days', a.apiKey)).body;
    expect(metric(after, 'first_response').all.count).toBe(firstBefore + 2);
    expect(metric(after, 'staff_reply').all.count).toBe(metric(before, 'staff_reply').all.count + 1);
    expect(after.missedRevenue.inquiries).toBe(before.missedRevenue.inquiries + 1);
    const raw = await server.app.reports.rawReport(await client(), { period: 'last_7_days' });
    expectSameReport(after, raw);
    expectSameReport(
      (await api(week1, a.apiKey)).body,
      await server.app.reports.rawReport(await client(), {
        period: 'last_30_days',
        from: '2026-03-23',
        to: '2026-03-29',
      }),
    );
    const rows = (await q('select count(*)::int as n from report_daily where client_id = ?', [a.client.id])) as Array<{
      n: number;
    }>;
    expect(rows[0]?.n).toBeGreaterThan(0);
  });

  it('follows the tenant’s settings: targets, service values (merge patch) and hours', async () => {
    const patch = (body: unknown) =>
      fetch(`${server.url}/api/v1/client`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/merge-patch+json', authorization: `Bearer ${a.apiKey}` },
        body: JSON.stringify(body),
      });
    expect((await patch({ config: { serviceValues: { Implants: -1 } } })).status).toBe(400);
    expect((await patch({ config: { reports: { currency: 'euro' } } })).status).toBe(400);
    // Whitening changes, Implants stays; the target rises above the Saturday-night reply.
    const ok = await patch({ config: { serviceValues: { Whitening: 400 }, reports: { firstResponseSeconds: 3600 } } });
    expect(ok.status).toBe(200);
    let body = (await api(week1, a.apiKey)).body;
    expect(body.missedRevenue.qualifiedValue).toBe(6400);
    expect(metric(body, 'first_response').meetsTarget).toBe(true);
    // null removes the key: the whitening lead is then counted without a value.
    await patch({ config: { serviceValues: { Whitening: null } } });
    body = (await api(week1, a.apiKey)).body;
    expect(body.missedRevenue).toMatchObject({ qualifiedValue: 6000, qualifiedWithoutValue: 1 });
    // Open every evening too: the Monday 20:00 WhatsApp thread moves into business hours (a rebuild).
    const evenings = [
      { open: '09:00', close: '17:00' },
      { open: '19:00', close: '23:00' },
    ];
    await patch({ config: { businessHours: { mon: evenings } } });
    body = (await api(week1, a.apiKey)).body;
    expect(metric(body, 'first_response').inHours.count).toBe(2);
    expect(body.missedRevenue.afterHoursInquiries).toBe(3);
  });

  it('publishes the average response time for the tenant’s site only when the tenant opts in', async () => {
    const published = (siteKey: string) =>
      fetch(`${server.url}/api/v1/widget/response-time?siteKey=${encodeURIComponent(siteKey)}`, {
        headers: { origin: 'https://sunset-dental.example' },
      });
    const before = await published(a.client.siteKey);
    expect(before.status).toBe(404);
    expect((await before.json()).error.message).toContain('does not publish');
    const optIn = await fetch(`${server.url}/api/v1/client`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json', authorization: `Bearer ${a.apiKey}` },
      body: JSON.stringify({ config: { reports: { publishResponseTime: true } } }),
    });
    expect(optIn.status).toBe(200);
    const res = await published(a.client.siteKey);
    expect(res.status).toBe(200);
    // Readable from the tenant's own site, and cached for five minutes.
    expect(res.headers.get('access-control-allow-origin')).toBe('https://sunset-dental.example');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    const body = await res.json();
    const report = (await api('/reports?period=last_30_days', a.apiKey)).body;
    expect(body).toEqual({
      headline: report.responseTimes.headline,
      averageSeconds: report.responseTimes.averageSeconds,
      count: metric(report, 'first_response').all.count,
      from: report.from,
      to: report.to,
    });
    // Nothing of the report beyond the headline; another tenant that did not opt in stays private.
    expect(Object.keys(body).sort()).toEqual(['averageSeconds', 'count', 'from', 'headline', 'to']);
    expect((await published(b.client.siteKey)).status).toBe(404);
    expect((await published('pk_unknown_site_key')).status).toBe(401);
  });
});

/** Equal but for the percentiles' documented bound and the refresh time. */
function expectSameReport(rollup: ReportsDto, raw: ReportsDto): void {
  const stats: Array<[ResponseStat, ResponseStat]> = [];
  // Everything but percentiles (and what follows from them) must be equal exactly.
  const strip = (r: ReportsDto) =>
    JSON.parse(
      JSON.stringify({ ...r, refreshedAt: '' }, (key, value) => {
        if (key === 'p50Seconds' || key === 'p90Seconds') return value === null ? null : 'n';
        if (key === 'meetsTarget') return value === null ? null : 'b';
        return value;
      }),
    ) as unknown;
  expect(strip(rollup)).toEqual(strip(raw));
  for (const [i, m] of rollup.responseTimes.metrics.entries()) {
    const r = raw.responseTimes.metrics[i] as (typeof raw.responseTimes.metrics)[number];
    stats.push([m.all, r.all], [m.inHours, r.inHours], [m.outOfHours, r.outOfHours]);
    for (const [j, c] of m.byChannel.entries()) {
      const rc = r.byChannel[j] as (typeof r.byChannel)[number];
      stats.push([c.all, rc.all], [c.inHours, rc.inHours], [c.outOfHours, rc.outOfHours]);
    }
  }
  for (const [x, y] of stats) {
    if (y.p50Seconds === null) expect(x.p50Seconds).toBeNull();
    else expect(withinBound(x.p50Seconds as number, y.p50Seconds)).toBe(true);
    if (y.p90Seconds !== null) expect(withinBound(x.p90Seconds as number, y.p90Seconds)).toBe(true);
  }
}
