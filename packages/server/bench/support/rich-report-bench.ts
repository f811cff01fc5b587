/**
 * The setting of the insights and scoring benchmarks: a fresh database on the
 * real PostgreSQL server with two rich generated tenants of `messages`
 * messages each (report-tenant.ts), analysed, and the clients as a request
 * reads them from the database.
 */
import os from 'node:os';
import pg from 'pg';
import { type Config, loadConfig } from '../../src/config/config.js';
import { openDatabase } from '../../src/db/database.js';
import { type Sql, sqlOf } from '../../src/db/sql.js';
import { createLogger } from '../../src/logger.js';
import type { ReportClient } from '../../src/reports/report-rollup.js';
import { createClient } from '../../src/tenants/tenant-service.js';
import { createFreshPostgresDatabase } from '../../test/support/databases.js';
import { generate } from './report-tenant.js';

export interface RichReportBench {
  config: Config;
  sql: Sql;
  /** A raw connection for the baseline queries (not the report's pool). */
  raw: pg.Client;
  client: ReportClient;
  other: ReportClient;
  conversations: number;
  generateMs: number;
  close(): Promise<void>;
}

export async function openRichReportBench(messages: number): Promise<RichReportBench> {
  const fresh = await createFreshPostgresDatabase();
  // BENCH_PG_JIT=off: the same run without PostgreSQL's JIT compilation (on by default from a plan cost of
  // 100,000, which large periods' report queries pass), to see what it adds.
  if (process.env.BENCH_PG_JIT) {
    const admin = new pg.Client({ connectionString: fresh.url });
    await admin.connect();
    await admin.query(
      `alter database "${new URL(fresh.url).pathname.slice(1)}" set jit = ${process.env.BENCH_PG_JIT === 'off' ? 'off' : 'on'}`,
    );
    await admin.end();
  }
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
  const raw = new pg.Client({ connectionString: fresh.url });
  const close = async () => {
    await raw.end().catch(() => {});
    await db.close();
    await fresh.drop();
  };
  try {
    await raw.connect();
    const conversations = Math.max(1, Math.round(messages / 10));
    const make = (name: string) =>
      createClient(db.orm.em.fork(), {
        name,
        industry: 'other',
        timezone: 'Europe/London',
        config: { services: ['Implants', 'Whitening', 'Cleaning'], serviceValues: { Implants: 3000, Whitening: 300 } },
      });
    const created = await make('Bench Dental');
    const createdOther = await make('Other Dental');
    const t0 = performance.now();
    await generate(fresh.url, created.client.id, conversations, { rich: true });
    await generate(fresh.url, createdOther.client.id, conversations, { rich: true });
    await raw.query('vacuum analyze');
    const generateMs = Math.round(performance.now() - t0);
    const sql = sqlOf(db.orm);
    const [client, other] = await sql.query<ReportClient[]>(
      'select id, timezone, locale, config from clients where id in (?, ?) order by name',
      [created.client.id, createdOther.client.id],
    );
    if (!client || !other) throw new Error('clients not found');
    return { config, sql, raw, client, other, conversations, generateMs, close };
  } catch (err) {
    await close();
    throw err;
  }
}
