/**
 * Issue 17's reports on a generated tenant (docs/reports.md).
 *
 * A tenant in Europe/London with BENCH_REPORT_MESSAGES (default 1,000,000)
 * messages over 90 days in a fresh database on the real PostgreSQL server:
 * conversations of 10 messages (5 visitor runs, each answered by the AI in
 * 1–21 s or, in one conversation of five, by staff in 30 s–50 min), one lead
 * each, an escalation with its takeover in one of twenty; plus a second tenant
 * of the same size whose rows must not slow the first down.
 *
 * Timed in the same run, BENCH_REPORT_RUNS (default 30) times each, for the
 * last 30 days and the last 90 days:
 * - rollup: `ReportService.report` as `GET /reports` serves it: the read of
 *   `report_daily` (the rollup was refreshed within REPORTS_MAX_STALENESS_MS);
 *   a refresh with nothing new is timed separately;
 * - raw: the same report straight from the raw tables (`rawReport`: the samples'
 *   SQL over the whole period, exact percentiles), split into its SLA and
 *   missed-revenue parts.
 * Prints p50/p95 (ms) and raw p95 ÷ rollup p95. The first refresh (a full
 * rebuild of 90 days) is timed too.
 */
import os from 'node:os';
import type { ReportsQuery } from '@leaddesk/shared';
import pg from 'pg';
import { loadConfig } from '../src/config/config.js';
import { openDatabase } from '../src/db/database.js';
import { sqlOf } from '../src/db/sql.js';
import { createLogger } from '../src/logger.js';
import { inquiryRows, responseSamples } from '../src/reports/raw-samples.js';
import { dayWindow, refreshRollup } from '../src/reports/report-rollup.js';
import { ReportService } from '../src/reports/report-service.js';
import { createClient } from '../src/tenants/tenant-service.js';
import { createFreshPostgresDatabase } from '../test/support/databases.js';
import { generate } from './support/report-tenant.js';
import { percentile, round, timeRuns, writeResult } from './support/results.js';

const MESSAGES = Number(process.env.BENCH_REPORT_MESSAGES ?? 1_000_000);
const RUNS = Number(process.env.BENCH_REPORT_RUNS ?? 30);
/** The raw computation takes seconds on a large tenant: fewer runs (p95 of 3 is their slowest). */
const RAW_RUNS = Number(process.env.BENCH_REPORT_RAW_RUNS ?? 3);

/** `count` conversations of 10 messages in the last few minutes. */
async function generateRecent(url: string, clientId: string, count: number): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(
      `insert into conversations (id, client_id, channel, status, mode, last_seq, created_at, updated_at)
       select gen_random_uuid(), $1, 'web', 'active', 'ai', 10, now(), now() from generate_series(1, $2::int)`,
      [clientId, count],
    );
    await c.query(
      `insert into messages (id, client_id, conversation_id, seq, role, content, attachments, channel, delivery_state, created_at)
       select gen_random_uuid(), $1, cv.id, k, case when k % 2 = 1 then 'visitor' else 'ai' end, 'text', '[]', 'web', 'sent',
         now() - interval '3 minutes' + k * interval '5 seconds'
       from conversations cv cross join generate_series(1, 10) k
       where cv.client_id = $1 and cv.created_at > now() - interval '1 minute' and cv.lead_id is null`,
      [clientId],
    );
  } finally {
    await c.end();
  }
}

export async function run(): Promise<void> {
  const fresh = await createFreshPostgresDatabase();
  const logger = createLogger({ level: 'silent', pretty: false });
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    DATA_DIR: os.tmpdir(),
    DATABASE_URL: fresh.url,
    DATABASE_POOL_MAX: '2',
  });
  const db = await openDatabase(config, logger);
  try {
    const conversations = Math.max(1, Math.round(MESSAGES / 10));
    const make = (name: string) =>
      createClient(db.orm.em.fork(), {
        name,
        industry: 'other',
        timezone: 'Europe/London',
        config: { services: ['Implants', 'Whitening', 'Cleaning'], serviceValues: { Implants: 3000, Whitening: 300 } },
      });
    const { client } = await make('Bench Dental');
    const { client: other } = await make('Other Dental');
    let t0 = performance.now();
    await generate(fresh.url, client.id, conversations);
    await generate(fresh.url, other.id, conversations);
    const c = new pg.Client({ connectionString: fresh.url });
    await c.connect();
    await c.query('analyze');
    await c.end();
    const generateMs = round(performance.now() - t0);
    const sql = sqlOf(db.orm);
    t0 = performance.now();
    const rebuild = await refreshRollup(sql, client);
    const rebuildMs = round(performance.now() - t0);
    // As served: a rollup refreshed within the last minute is read as it is (REPORTS_MAX_STALENESS_MS).
    const service = new ReportService({ sql, logger, maxStalenessMs: 60_000 });
    const refresh = await timeRuns(RUNS, () => refreshRollup(sql, client));
    console.log(`refresh with nothing new: p50 ${refresh.p50} ms, p95 ${refresh.p95} ms`);
    console.log(
      `tenant: ${conversations * 10} messages, ${conversations} leads (and another tenant as large); generated in ${generateMs} ms`,
    );
    console.log(`first refresh: rebuilt ${rebuild.days} local days in ${rebuildMs} ms`);
    const results: Record<string, unknown> = {};
    for (const period of ['last_30_days', 'last_90_days'] as const) {
      const query: ReportsQuery = { period };
      const { from, to } = service.period(client, query);
      const start = dayWindow('Europe/London', from).start;
      const end = dayWindow('Europe/London', to).end;
      const rollup = await timeRuns(RUNS, () => service.report(client, query));
      const raw = await timeRuns(RAW_RUNS, () => service.rawReport(client, query));
      const rawSla = await timeRuns(RAW_RUNS, () => responseSamples(sql, client.id, start, end));
      const rawMissed = await timeRuns(RAW_RUNS, () => inquiryRows(sql, client.id, start, end));
      const ratio = round(raw.p95 / rollup.p95, 1);
      results[period] = { rollup, raw, rawSlaQueryOnly: rawSla, rawMissedRevenueQueryOnly: rawMissed, ratio };
      console.log(
        `${period}: both reports from the rollup p50 ${rollup.p50} ms, p95 ${rollup.p95} ms | raw p50 ${raw.p50} ms, p95 ${raw.p95} ms (SLA samples query p95 ${rawSla.p95} ms, missed-revenue query p95 ${rawMissed.p95} ms) | raw/rollup p95 = ${ratio}×`,
      );
    }
    // Activity now: 20 new conversations today. Every refresh within the next 5 minutes (the overlap for
    // transactions still committing) recomputes today: the cost a stale read pays, at most once per
    // REPORTS_MAX_STALENESS_MS.
    await generateRecent(fresh.url, client.id, 20);
    const refreshBusy = await timeRuns(Math.max(3, Math.round(RUNS / 3)), () => refreshRollup(sql, client));
    console.log(
      `refresh with today's activity (today recomputed): p50 ${refreshBusy.p50} ms, p95 ${refreshBusy.p95} ms`,
    );
    const file = await writeResult('reports', {
      messages: conversations * 10,
      runs: RUNS,
      rawRuns: RAW_RUNS,
      generateMs,
      rebuild: { days: rebuild.days, ms: rebuildMs },
      refreshNothingNew: refresh,
      refreshTodayRecomputed: refreshBusy,
      results,
    });
    console.log(`results: ${file}`);
  } catch (err) {
    console.error(err);
    process.exitCode = 1;
  } finally {
    await db.close();
    await fresh.drop();
  }
}
