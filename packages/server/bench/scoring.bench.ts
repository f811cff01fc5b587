/**
 * The lead scoring report (docs/reports.md, "Lead scoring report") on the
 * rich generated tenant (support/report-tenant.ts): BENCH_SCORING_MESSAGES
 * (default 1,000,000) messages over 90 days, one lead per conversation of 10
 * (two in seven closed; won more often when the AI answered), beside a second
 * tenant as large.
 *
 * Timed in the same run, for the last 30 and the last 90 days:
 * - report: `scoringReport` as `GET /reports/scoring` serves it,
 *   BENCH_SCORING_RUNS (default 20) times, from the daily rollup (built once
 *   first, timed), with the refresh it runs first (nothing new) timed alone too;
 * - raw: the straightforward SQL over the raw tables, BENCH_SCORING_RAW_RUNS
 *   (default 3) times: leads by local week and temperature, closed and won by
 *   temperature, and the won rate by first-response bucket with every
 *   conversation's first visitor message and first answer found by grouping
 *   the tenant's messages.
 * Before timing, the two must agree on every week's temperatures, the summary,
 * and every bucket's and temperature's closed and won counts; otherwise the
 * bench fails. Prints p50/p95 (ms) and raw p95 ÷ report p95.
 */
import type { ReportsQuery, ScoringReportDto } from '@leaddesk/shared';
import type pg from 'pg';
import { scheduleOf } from '../src/automation/business-hours/index.js';
import { createLogger } from '../src/logger.js';
import { dayWindow, refreshRollup } from '../src/reports/report-rollup.js';
import { ReportService } from '../src/reports/report-service.js';
import { ConversionModels } from '../src/reports/scoring/conversion-model.js';
import { scoringReport } from '../src/reports/scoring/scoring-report.js';
import { explainPlans } from './support/explain-plans.js';
import { round, timeRuns, writeResult } from './support/results.js';
import { openRichReportBench } from './support/rich-report-bench.js';

const MESSAGES = Number(process.env.BENCH_SCORING_MESSAGES ?? 1_000_000);
const RUNS = Number(process.env.BENCH_SCORING_RUNS ?? 20);
const RAW_RUNS = Number(process.env.BENCH_SCORING_RAW_RUNS ?? 3);
const PART_RUNS = Math.max(3, Math.round(RUNS / 4));
/** BENCH_EXPLAIN=1: print the report's plans (EXPLAIN ANALYZE) for each period. */
const EXPLAIN = process.env.BENCH_EXPLAIN === '1';

interface RawScoring {
  weeks: Array<{ week: string; temperature: string; n: number }>;
  byTemperature: Array<{ temperature: string; closed: number; won: number }>;
  buckets: Array<{ bucket: string; closed: number; won: number }>;
}

/** The scoring figures as one would first write them: plain grouped queries over the raw tables. */
async function rawScoring(
  c: pg.Client,
  clientId: string,
  timezone: string,
  start: Date,
  end: Date,
): Promise<RawScoring> {
  const weeks = await c.query(
    `select to_char(date_trunc('week', created_at at time zone $4), 'YYYY-MM-DD') as week, temperature, count(*)::int as n
     from leads where client_id = $1 and created_at >= $2 and created_at < $3 group by 1, 2 order by 1, 2`,
    [clientId, start, end, timezone],
  );
  const byTemperature = await c.query(
    `select temperature, count(*)::int as closed, count(*) filter (where status = 'closed_won')::int as won
     from leads where client_id = $1 and created_at >= $2 and created_at < $3 and status in ('closed_won', 'closed_lost')
     group by 1 order by 1`,
    [clientId, start, end],
  );
  const buckets = await c.query(
    `with fv as (
       select conversation_id, min(seq) as seq from messages where client_id = $1 and role = 'visitor' group by 1),
     fa as (
       select m.conversation_id, min(m.seq) as seq from messages m join fv on fv.conversation_id = m.conversation_id
       where m.client_id = $1 and m.role in ('ai', 'staff') and m.seq > fv.seq group by 1),
     firsts as (
       select c.lead_id, extract(epoch from (a.created_at - v.created_at))::float8 as seconds,
         row_number() over (partition by c.lead_id order by v.created_at, c.id) as rn
       from conversations c
       join fv on fv.conversation_id = c.id
       join messages v on v.conversation_id = fv.conversation_id and v.seq = fv.seq
       left join fa on fa.conversation_id = c.id
       left join messages a on a.conversation_id = fa.conversation_id and a.seq = fa.seq
       where c.client_id = $1)
     select case when f.seconds is null then 'never' when f.seconds < 60 then 'under_1_min'
         when f.seconds < 300 then '1_5_min' when f.seconds < 1800 then '5_30_min'
         when f.seconds < 7200 then '30_120_min' when f.seconds < 86400 then '2_24_h' else 'over_24_h' end as bucket,
       count(*)::int as closed, count(*) filter (where l.status = 'closed_won')::int as won
     from leads l left join firsts f on f.lead_id = l.id and f.rn = 1
     where l.client_id = $1 and l.created_at >= $2 and l.created_at < $3 and l.status in ('closed_won', 'closed_lost')
     group by 1`,
    [clientId, start, end],
  );
  return { weeks: weeks.rows, byTemperature: byTemperature.rows, buckets: buckets.rows };
}

/** Every figure both compute, compared; a difference means the two do not measure the same thing. */
function disagreements(report: ScoringReportDto, raw: RawScoring): string[] {
  const out: string[] = [];
  const check = (what: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b))
      out.push(`${what}: report ${JSON.stringify(a)}, raw ${JSON.stringify(b)}`);
  };
  const weeks = new Map<string, Record<string, number>>();
  for (const r of raw.weeks) weeks.set(r.week, { ...weeks.get(r.week), [r.temperature]: r.n });
  check(
    'temperature by week',
    report.temperatureByWeek
      .filter((w) => w.hot + w.warm + w.cold + w.unscored > 0)
      .map((w) => [w.weekStart, w.hot, w.warm, w.cold, w.unscored]),
    [...weeks.entries()].map(([week, t]) => [week, t.hot ?? 0, t.warm ?? 0, t.cold ?? 0, t.unscored ?? 0]),
  );
  check(
    'leads',
    report.summary.leads,
    raw.weeks.reduce((s, r) => s + r.n, 0),
  );
  check(
    'won rate by temperature',
    report.byTemperature
      .filter((t) => t.closed > 0)
      .map((t) => [t.temperature, t.closed, t.won])
      .sort(),
    raw.byTemperature.map((t) => [t.temperature, t.closed, t.won]).sort(),
  );
  check(
    'won rate by first response',
    report.responseEffect
      .filter((b) => b.closed > 0)
      .map((b) => [b.bucket, b.closed, b.won])
      .sort(),
    raw.buckets.map((b) => [b.bucket, b.closed, b.won]).sort(),
  );
  return out;
}

export async function run(): Promise<void> {
  const bench = await openRichReportBench(MESSAGES);
  try {
    const { sql, raw, client, conversations } = bench;
    console.log(
      `tenant: ${conversations * 10} messages, ${conversations} leads (and another tenant as large); generated and vacuumed in ${bench.generateMs} ms`,
    );
    const reports = new ReportService({ sql, logger: createLogger({ level: 'silent', pretty: false }) });
    const models = new ConversionModels(sql);
    // The first refresh builds the tenant's rollups from its raw rows (what a new deployment's first report does).
    const buildStarted = performance.now();
    const built = await refreshRollup(sql, client);
    const rollupBuildMs = Math.round(performance.now() - buildStarted);
    console.log(`rollup built: ${built.days} days in ${rollupBuildMs} ms`);
    const results: Record<string, unknown> = {};
    let failed = false;
    for (const period of ['last_30_days', 'last_90_days'] as const) {
      const query: ReportsQuery = { period };
      const dates = reports.period(client, query);
      const tz = scheduleOf(client).timezone;
      const start = dayWindow(tz, dates.from).start;
      const end = dayWindow(tz, dates.to).end;
      const report = await scoringReport(sql, models, reports, client, dates);
      const baseline = await rawScoring(raw, client.id, tz, start, end);
      const wrong = disagreements(report, baseline);
      if (wrong.length) {
        failed = true;
        console.error(`${period}: the report and the raw queries disagree:\n  ${wrong.join('\n  ')}`);
      }
      const timed = await timeRuns(RUNS, () => scoringReport(sql, models, reports, client, dates));
      const rawTimed = await timeRuns(RAW_RUNS, () => rawScoring(raw, client.id, tz, start, end));
      // A refresh with nothing new, which every report runs first when its rollup is older than the allowed staleness.
      const refresh = await timeRuns(PART_RUNS, () => refreshRollup(sql, client));
      const ratio = round(rawTimed.p95 / timed.p95, 1);
      const closed = report.responseEffect.reduce((s, b) => s + b.closed, 0);
      const figures = {
        leads: report.summary.leads,
        closed,
        won: report.summary.won,
        weeks: report.temperatureByWeek.length,
      };
      results[period] = {
        report: timed,
        raw: rawTimed,
        ratio,
        refresh,
        figures,
        agree: wrong.length === 0,
      };
      console.log(
        `${period}: scoring p50 ${timed.p50} ms, p95 ${timed.p95} ms | raw SQL p50 ${rawTimed.p50} ms, p95 ${rawTimed.p95} ms | raw/report p95 = ${ratio}× | agree: ${wrong.length === 0 ? 'yes' : 'NO'}`,
      );
      console.log(`  refresh with nothing new alone: p50 ${refresh.p50} ms, p95 ${refresh.p95} ms`);
      console.log(`  figures: ${JSON.stringify(figures)}`);
      if (EXPLAIN) {
        const plans = await explainPlans(raw, (q) => scoringReport(q, new ConversionModels(q), reports, client, dates));
        console.log(plans.join('\n'));
      }
    }
    const file = await writeResult('scoring', {
      messages: conversations * 10,
      leads: conversations,
      runs: RUNS,
      rawRuns: RAW_RUNS,
      generateMs: bench.generateMs,
      rollupBuildMs,
      results,
    });
    console.log(`results: ${file}`);
    if (failed) process.exitCode = 1;
  } catch (err) {
    console.error(err);
    process.exitCode = 1;
  } finally {
    await bench.close();
  }
}
