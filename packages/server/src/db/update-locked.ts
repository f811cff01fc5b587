import { type EntityName, type FilterQuery, LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Read-modify-write of one row under `select … for update`, in one
 * transaction: `change` sees the row as committed now (re-read, not the copy
 * the request loaded earlier), and its changes are flushed before the lock is
 * released. Two partial updates of the same row therefore run one after the
 * other and neither loses the other's fields, even when both touch the same
 * JSON column. Returns null when no row matches.
 *
 * Keep `change` to computing and assigning: the embedded database has one
 * connection, and the transaction holds it.
 */
export async function updateLocked<T extends object, R>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  change: (row: T, tx: EntityManager) => R | Promise<R>,
): Promise<{ row: T; result: R } | null> {
  return em.transactional(async (tx) => {
    const row = await tx.findOne(entity, where, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!row) return null;
    const result = await change(row as T, tx);
    return { row: row as T, result };
  });
}
