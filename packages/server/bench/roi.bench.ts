/**
 * The ROI report and the agency overview (docs/reports.md) on the generated
 * tenant of reports.bench.ts: BENCH_ROI_MESSAGES (default 1,000,000) messages
 * over 90 days, one lead per conversation of 10 messages (three in five with
 * an outcome; the AI answers first in four conversations of five), plus a
 * second tenant as large, and usage rows for three models a day.
 *
 * Timed BENCH_ROI_RUNS (default 10) times each: `RoiService.report` for the
 * last 30 and 90 days, and the overview of both tenants for the last 30 days
 * (each client's SLA report from its rollup, refreshed before, and its ROI
 * report). Prints p50/p95 (ms) and the plan of the outcome query.
 */
import os from 'node:os';
import pg from 'pg';
import { loadConfig } from '../src/config/config.js';
import { openDatabase } from '../src/db/database.js';
import { sqlOf } from '../src/db/sql.js';
import { createLogger } from '../src/logger.js';
import { OverviewService } from '../src/reports/overview/index.js';
import { type ReportClient, refreshRollup } from '../src/reports/report-rollup.js';
import { ReportService } from '../src/reports/report-service.js';
import { RoiService } from '../src/reports/roi/index.js';
import { createClient } from '../src/tenants/tenant-service.js';
import { createFreshPostgresDatabase } from '../test/support/databases.js';
import { generate } from './support/report-tenant.js';
import { percentile, round, timeRuns, writeResult } from './support/results.js';

const MESSAGES = Number(process.env.BENCH_ROI_MESSAGES ?? 1_000_000);
const RUNS = Number(process.env.BENCH_ROI_RUNS ?? 10);

export async function run(): Promise<void> {
  const fresh = await createFreshPostgresDatabase();
  const logger = createLogger({ level: 'silent', pretty: false });
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    DATA_DIR: os.tmpdir(),
    DATABASE_URL: fresh.url,
    DATABASE_POOL_MAX: '4',
  });
  const db = await openDatabase(config, logger);
  try {
    const conversations = Math.max(1, Math.round(MESSAGES / 10));
    const make = (name: string) =>
      createClient(db.orm.em.fork(), {
        name,
        industry: 'other',
        timezone: 'Europe/London',
        config: {
          services: ['Implants', 'Whitening', 'Cleaning'],
          serviceValues: { Implants: 3000, Whitening: 300 },
          reports: { planMonthlyCost: 199 },
        },
      });
    const created = await make('Bench Dental');
    const createdOther = await make('Other Dental');
    await generate(fresh.url, created.client.id, conversations);
    await generate(fresh.url, createdOther.client.id, conversations);
    // As a request reads them: from the database (jsonb orders a config's keys its own way, and the rollup's
    // settings hash is of the stored config).
    const [client, other] = await sqlOf(db.orm).query<ReportClient[]>(
      'select id, timezone, config from clients where id in (?, ?) order by name',
      [created.client.id, createdOther.client.id],
    );
    if (!client || !other) throw new Error('clients not found');
    const c = new pg.Client({ connectionString: fresh.url });
    await c.connect();
    for (const id of [client.id, other.id]) {
      await c.query(
        `insert into usage_logs (id, client_id, model, day, requests, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens)
         select gen_random_uuid(), $1, m, (now() - d * interval '1 day')::date, 1000, 2000000, 300000, 1000000, 50000
         from generate_series(0, 89) d cross join unnest(array['claude-sonnet-4-6', 'claude-haiku-4-5', 'gpt-4o-mini']) m`,
        [id],
      );
    }
    await c.query('analyze');
    const sql = sqlOf(db.orm);
    const reports = new ReportService({ sql, logger, maxStalenessMs: 60_000 });
    const roi = new RoiService({
      sql,
      reports,
      prices: config.aiPrices,
      productName: config.branding.defaults.productName,
    });
    const overview = new OverviewService({ sql, reports, roi });
    await refreshRollup(sql, client);
    await refreshRollup(sql, other);
    const results: Record<string, unknown> = {};
    for (const period of ['last_30_days', 'last_90_days'] as const) {
      const report = await roi.report(client, { period });
      const timing = await timeRuns(RUNS, () => roi.report(client, { period }));
      results[period] = { ...timing, inquiries: report.inquiries, allQualified: report.allQualified };
      console.log(
        `ROI ${period}: p50 ${timing.p50} ms, p95 ${timing.p95} ms (${report.inquiries} leads, ${report.allQualified} qualified, ${report.qualified} credited)`,
      );
    }
    const both = await timeRuns(RUNS, () => overview.overview({ period: 'last_30_days', sort: 'name', order: 'asc' }));
    results.overview = both;
    console.log(`overview of 2 clients, last 30 days: p50 ${both.p50} ms, p95 ${both.p95} ms`);
    const { from, to } = reports.period(client, { period: 'last_90_days' });
    const plan = await c.query(
      `explain (analyze, costs off, timing off, summary off)
       select count(*) from leads l
       left join lateral (select cv.id from conversations cv where cv.client_id = l.client_id and cv.lead_id = l.id
         order by cv.created_at, cv.id limit 1) fc on true
       left join lateral (select m.role from messages m where m.conversation_id = fc.id and m.role in ('ai', 'staff')
         and m.seq > (select v.seq from messages v where v.conversation_id = fc.id and v.role = 'visitor' order by v.seq limit 1)
         order by m.seq limit 1) fa on true
       where l.client_id = $1 and l.created_at >= $2::date and l.created_at < $3::date + 1
         and (l.status in ('qualified', 'appointment_booked', 'handed_off', 'closed_won') or l.appointment_at is not null)`,
      [client.id, from, to],
    );
    console.log(plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n'));
    await c.end();
    console.log(`results: ${await writeResult('roi', { messages: conversations * 10, runs: RUNS, results })}`);
  } catch (err) {
    console.error(err);
    process.exitCode = 1;
  } finally {
    await db.close();
    await fresh.drop();
  }
}
