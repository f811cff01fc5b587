import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The two database kinds every data-layer suite runs on: embedded PGlite and
 * the real PostgreSQL server (a fresh database per run).
 */
export const REAL_PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export type DbKind = 'embedded' | 'postgres';
export const DB_KINDS: DbKind[] = ['embedded', 'postgres'];

/** Creates an empty database on the real server; returns its URL and a drop function. */
export async function createFreshPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `ld_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: REAL_PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = new URL(REAL_PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: REAL_PG_ADMIN_URL });
      await c.connect();
      // A stopped server's pools close their idle connections within seconds; terminating one still in use
      // (with force) raises an error in a client that may have no listener left, in the test's own process.
      for (let waited = 0; waited < 6000; waited += 200) {
        const { rows } = await c.query('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
        if (rows[0]?.n === 0) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.end();
    },
  };
}
