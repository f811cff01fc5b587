import { createHash } from 'node:crypto';
import type { ClientConfig } from '@leaddesk/shared';
import { addDays, isOpenAt, type Schedule, scheduleOf, zonedToUtc } from '../automation/business-hours/index.js';
import type { Sql } from '../db/sql.js';
import { addSample, type Histogram } from './histogram.js';
import { INSIGHT_TABLES, insightDays, recomputeInsightDay } from './insight-rollup.js';
import { asQuestionLanguage } from './insights/normalize-question.js';
import { inquiryRows, responseSamples, serviceOf } from './raw-samples.js';

type Query = Pick<Sql, 'query'>;

export interface ReportClient {
  id: string;
  timezone: string;
  config: ClientConfig;
  /** The tenant's locale, for the reports' sentences (report-text/); English without it. */
  locale?: string;
}

/**
 * Rows written or changed up to this long before a refresh started may still
 * be committing (a message's `created_at` is set before its transaction
 * commits), so each refresh looks back this far past the previous one. A
 * day rolled up twice is rolled up the same.
 */
const OVERLAP_MS = 5 * 60_000;

/**
 * What a day's rows depend on besides the raw rows: a change rebuilds the
 * tenant's rollup. The intake drop-off's "answered" test reads each intake
 * question's lead field (only the id → field pairs: a reworded question
 * changes no figure), and a question's language falls back to the tenant's
 * locale.
 */
export function rollupConfigHash(client: ReportClient): string {
  const { businessHours, hours, services, qualificationQuestions } = client.config;
  const intake = (qualificationQuestions ?? []).map((q) => [q.id, q.field]);
  const locale = asQuestionLanguage(client.locale) ?? 'en';
  return createHash('sha256')
    .update(
      JSON.stringify({ v: 2, tz: client.timezone, businessHours, hours: hours ?? null, services, intake, locale }),
    )
    .digest('hex');
}

/** The local day (YYYY-MM-DD) as [start, end) instants: 23 or 25 hours on daylight-saving days. */
export function dayWindow(timezone: string, day: string): { start: Date; end: Date } {
  return { start: zonedToUtc(timezone, day, '00:00'), end: zonedToUtc(timezone, addDays(day, 1), '00:00') };
}

interface Group {
  metric: string;
  channel: string;
  in_hours: boolean;
  service: string;
  n: number;
  sum_seconds: number;
  histogram: Histogram;
  qualified: number;
  booked: number;
  won: number;
}

/** Every rollup row of one (tenant, local day), from the raw rows. */
export async function computeDay(q: Query, client: ReportClient, schedule: Schedule, day: string): Promise<Group[]> {
  const { start, end } = dayWindow(schedule.timezone, day);
  const groups = new Map<string, Group>();
  const group = (metric: string, channel: string, inHours: boolean, service = '') => {
    const key = `${metric}|${channel}|${inHours}|${service}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        metric,
        channel,
        in_hours: inHours,
        service,
        n: 0,
        sum_seconds: 0,
        histogram: {},
        qualified: 0,
        booked: 0,
        won: 0,
      };
      groups.set(key, g);
    }
    return g;
  };
  for (const s of await responseSamples(q, client.id, start, end)) {
    const open = isOpenAt(schedule, s.startAt);
    const metrics =
      s.kind === 'first_response'
        ? ['first_response', s.by === 'ai' ? 'first_response_ai' : 'first_response_human']
        : [s.kind];
    for (const metric of metrics) {
      const g = group(metric, s.channel, open);
      g.n += 1;
      g.sum_seconds += s.seconds;
      addSample(g.histogram, s.seconds);
    }
  }
  for (const l of await inquiryRows(q, client.id, start, end)) {
    const g = group(
      'inquiry',
      l.channel,
      isOpenAt(schedule, l.at),
      serviceOf(l.serviceInterest, client.config.services),
    );
    g.n += 1;
    if (l.qualified) g.qualified += 1;
    if (l.booked) g.booked += 1;
    if (l.won) g.won += 1;
  }
  return [...groups.values()];
}

/**
 * Rewrites one (tenant, day) whole, `report_daily` and the insights rollups
 * (insight-rollup.ts). Idempotent; the caller holds the tenant's rollup lock.
 */
export async function recomputeDay(q: Query, client: ReportClient, schedule: Schedule, day: string): Promise<void> {
  await recomputeInsightDay(q, client, schedule.timezone, day, dayWindow(schedule.timezone, day));
  const rows = await computeDay(q, client, schedule, day);
  await q.query('delete from report_daily where client_id = ? and day = ?::date', [client.id, day]);
  if (!rows.length) return;
  await q.query(
    `insert into report_daily (client_id, day, metric, channel, in_hours, service, n, sum_seconds, histogram, qualified, booked, won)
     select ?::uuid, ?::date, x.metric, x.channel, x.in_hours, x.service, x.n, x.sum_seconds, x.histogram, x.qualified, x.booked, x.won
     from jsonb_to_recordset(?::jsonb) as x(metric text, channel text, in_hours boolean, service text, n int,
       sum_seconds float8, histogram jsonb, qualified int, booked int, won int)
     on conflict (client_id, day, metric, channel, in_hours, service) do update set n = excluded.n,
       sum_seconds = excluded.sum_seconds, histogram = excluded.histogram, qualified = excluded.qualified,
       booked = excluded.booked, won = excluded.won`,
    [client.id, day, JSON.stringify(rows)],
  );
}

/** Local days whose rows may have changed since `since`: where a changed row's clock started. */
const CHANGED_DAYS = `select distinct to_char(d.at at time zone ?, 'YYYY-MM-DD') as day from (
    select m.created_at as at from messages m where m.client_id = ? and m.created_at >= ?
    union all
    select (select v.created_at from messages v where v.conversation_id = m.conversation_id and v.role = 'visitor'
        and v.seq < m.seq and v.seq > coalesce((select p.seq from messages p where p.conversation_id = m.conversation_id
          and p.seq < m.seq and p.role in ('ai', 'staff') order by p.seq desc limit 1), 0)
        order by v.seq limit 1)
      from messages m where m.client_id = ? and m.created_at >= ? and m.role in ('ai', 'staff')
    union all
    select e.created_at from escalations e where e.client_id = ? and e.created_at >= ?
    union all
    select e.created_at from conversation_events ev
      join escalations e on e.conversation_id = ev.conversation_id and e.created_at <= ev.created_at
      where ev.client_id = ? and ev.created_at >= ? and ev.kind = 'takeover'
    union all
    select l.created_at from leads l where l.client_id = ? and l.updated_at >= ?
  ) d where d.at is not null order by 1`;

/** Every local day with any activity (a rebuild). */
const ALL_DAYS = `select distinct to_char(d.at at time zone ?, 'YYYY-MM-DD') as day from (
    select created_at as at from messages where client_id = ? and role = 'visitor'
    union all select created_at from escalations where client_id = ?
    union all select created_at from leads where client_id = ?
  ) d order by 1`;

export interface RefreshResult {
  /** The instant the rollup is complete up to. */
  refreshedAt: Date;
  days: number;
  rebuilt: boolean;
}

/**
 * Brings one tenant's rollup up to date: recomputes the local days with
 * activity since the last refresh (all of them when the zone, hours,
 * services, intake questions' fields or locale changed). The tenant's state row is locked for the transaction,
 * so two processes refreshing one tenant take turns; the second finds little
 * left to do.
 */
export async function refreshRollup(sql: Sql, client: ReportClient): Promise<RefreshResult> {
  const schedule = scheduleOf(client);
  const hash = rollupConfigHash(client);
  return sql.transaction(async (tx) => {
    await tx.query('insert into report_rollup_state (client_id) values (?) on conflict do nothing', [client.id]);
    const [state] = await tx.query<Array<{ processed_until: Date | null; config_hash: string; now: Date }>>(
      'select processed_until, config_hash, now() as now from report_rollup_state where client_id = ? for update',
      [client.id],
    );
    if (!state) throw new Error('report_rollup_state row vanished');
    const tz = schedule.timezone;
    const rebuild = !state.processed_until || state.config_hash !== hash;
    let rows: Array<{ day: string }>;
    let since: Date | null = null;
    if (rebuild) {
      for (const table of ['report_daily', ...INSIGHT_TABLES]) {
        await tx.query(`delete from ${table} where client_id = ?`, [client.id]);
      }
      rows = await tx.query(ALL_DAYS, [tz, client.id, client.id, client.id]);
    } else {
      since = new Date(new Date(state.processed_until as Date).getTime() - OVERLAP_MS);
      const id = client.id;
      rows = await tx.query(CHANGED_DAYS, [tz, id, since, id, since, id, since, id, since, id, since]);
    }
    const days = [...new Set([...rows.map((r) => r.day), ...(await insightDays(tx, client.id, tz, since))])].sort();
    for (const day of days) await recomputeDay(tx, client, schedule, day);
    await tx.query(
      'update report_rollup_state set processed_until = ?, config_hash = ?, updated_at = now() where client_id = ?',
      [state.now, hash, client.id],
    );
    return { refreshedAt: new Date(state.now), days: days.length, rebuilt: rebuild };
  });
}
