import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../config/config.js';
import { AppError } from '../errors/app-error.js';
import { limitsOf } from './plan-limits.js';

/** Staff accounts holding a seat: enabled members and pending invitations (they can still accept). */
export async function seatsInUse(
  em: Pick<EntityManager, 'execute'>,
  clientId: string,
  except: { userId?: string } = {},
): Promise<number> {
  const rows = await em.execute<Array<{ n: number }>>(
    `select count(*)::int as n from users where client_id = ? and disabled_at is null and id::text <> ?`,
    [clientId, except.userId ?? ''],
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * Refuses a new seat (an invitation, a member enabled again) once the plan's
 * are all taken. Call it inside the transaction that adds the seat: it locks
 * the tenant's row first (and reads its plan under that lock), so two
 * invitations at the same moment in two processes are counted one after the
 * other and cannot both take the last seat, and a plan change waits for them.
 * `except` names the account the change is about (enabling a member again
 * does not count it twice).
 */
export async function requireSeat(
  tx: Pick<EntityManager, 'execute'>,
  config: Pick<Config, 'plans'>,
  clientId: string,
  except: { userId?: string } = {},
): Promise<void> {
  // NO KEY UPDATE: serialises seat changes and plan changes (FOR UPDATE) without blocking the rows that
  // reference the tenant (messages, leads), whose foreign keys take KEY SHARE locks on it.
  const [row] = await tx.execute<Array<{ plan: string }>>('select plan from clients where id = ? for no key update', [
    clientId,
  ]);
  const limits = limitsOf(config, row?.plan ?? 'starter');
  if (limits.seats === null) return;
  const used = await seatsInUse(tx, clientId, except);
  if (used >= limits.seats) {
    throw new AppError(
      'plan_limit_reached',
      `all ${limits.seats} seats of the ${row?.plan} plan are in use; disable a member or ask your provider to change the plan`,
    );
  }
}
