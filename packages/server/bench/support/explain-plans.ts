/**
 * The plans of whatever a report runs, as it ran them: `work` gets an `Sql`
 * over one raw connection on which auto_explain (shipped with PostgreSQL)
 * sends each statement's EXPLAIN ANALYZE back to the client as a notice.
 * Timing every plan node slows the statements down: for reading, not timing.
 */
import type pg from 'pg';
import type { Sql } from '../../src/db/sql.js';

export async function explainPlans(raw: pg.Client, work: (sql: Sql) => Promise<unknown>): Promise<string[]> {
  const plans: string[] = [];
  const onNotice = (notice: { message?: string }) => {
    if (notice.message?.startsWith('duration:')) plans.push(notice.message);
  };
  const sql: Sql = {
    async query<T extends unknown[]>(text: string, params: readonly unknown[] = []): Promise<T> {
      let n = 0;
      const result = await raw.query(
        text.replace(/\?/g, () => `$${++n}`),
        params as unknown[],
      );
      return result.rows as T;
    },
    transaction: (fn) => fn(sql),
  };
  await raw.query(`load 'auto_explain'`);
  await raw.query(
    `set auto_explain.log_min_duration = 0; set auto_explain.log_analyze = on; set auto_explain.log_buffers = on;
     set client_min_messages = log`,
  );
  raw.on('notice', onNotice);
  try {
    await work(sql);
  } finally {
    raw.off('notice', onNotice);
    await raw.query('set auto_explain.log_min_duration = -1; reset client_min_messages');
  }
  return plans;
}
