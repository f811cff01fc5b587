import type { Sql } from '../../db/sql.js';

type Query = Pick<Sql, 'query'>;

/**
 * Runs the statements of a capped sample read (at most a few thousand rows)
 * without PostgreSQL's JIT compilation and parallel workers. Their plans are
 * costed by the period's rows (the limit comes last), so at 90 days of a
 * million-message tenant PostgreSQL compiled the intake read (about 20 ms)
 * and started two workers for the questions read (about 60 ms before its
 * first row on a loaded machine), each more than the read itself
 * (docs/reports.md, "Measured (insights and lead scoring)"). `set local`
 * lasts for this transaction only.
 */
export async function boundedRead<T>(sql: Query | Sql, read: (q: Query) => Promise<T>): Promise<T> {
  if (!('transaction' in sql)) return read(sql);
  return sql.transaction(async (tx) => {
    await tx.query('set local jit = off');
    await tx.query('set local max_parallel_workers_per_gather = 0');
    return read(tx);
  });
}
