import type { Sql } from '../../db/sql.js';
import { storableErrorText } from '../../db/storable-text.js';

/**
 * Who may send one period's digest, and to whom it went (issue 14): the
 * `digest_sends` row of a tenant and period is a claim with a lease, and a
 * `digest_deliveries` row per recipient records `sending` before the email
 * goes out and `sent` after.
 *
 * Design note, at-least-once rather than at-most-once: the claim is taken
 * *before* sending, so two processes (or a duplicated job) never send the
 * same period at the same time, and a process that dies holding it leaves a
 * `sending` claim that another process takes over once its lease has expired
 * (a sweep queues it again). The takeover sends to every recipient not yet
 * recorded `sent`, so a crash between the SMTP server's acceptance and the
 * `sent` row means that one recipient gets the digest twice (with the same
 * Message-ID, which mail systems may drop as a duplicate). The other choice,
 * recording `sent` before sending, would lose the digest for good on such a
 * crash; a late duplicate of a summary email is the smaller harm.
 */

/** Claims after which a period is given up (recorded `failed`) rather than tried again. */
export const MAX_DIGEST_CLAIMS = 5;

export type ClaimResult = { held: true; attempt: number } | { held: false; status: 'sent' | 'failed' | 'busy' };

/** Claims the period for `leaseMs` (database time): new, or `sending` with its lease expired. */
export async function claimPeriod(
  sql: Pick<Sql, 'query'>,
  input: { clientId: string; period: string; slotAt: Date; leaseMs: number },
): Promise<ClaimResult> {
  const rows = await sql.query<{ attempts: number }[]>(
    `insert into digest_sends (client_id, period, slot_at, status, lease_until, attempts)
     values (?, ?, ?, 'sending', now() + make_interval(secs => ?), 1)
     on conflict (client_id, period) do update
       set lease_until = excluded.lease_until, attempts = digest_sends.attempts + 1,
           slot_at = coalesce(digest_sends.slot_at, excluded.slot_at)
       where digest_sends.status = 'sending'
         and (digest_sends.lease_until is null or digest_sends.lease_until < now())
     returning attempts`,
    [input.clientId, input.period, input.slotAt, input.leaseMs / 1000],
  );
  const attempt = rows[0]?.attempts;
  if (attempt !== undefined) return { held: true, attempt: Number(attempt) };
  const current = await sql.query<{ status: string }[]>(
    'select status from digest_sends where client_id = ? and period = ?',
    [input.clientId, input.period],
  );
  const status = current[0]?.status;
  return { held: false, status: status === 'sent' || status === 'failed' ? status : 'busy' };
}

/** Renews the lease if this claim still holds it (a holder whose lease was taken over stops). */
export async function renewClaim(
  sql: Pick<Sql, 'query'>,
  input: { clientId: string; period: string; attempt: number; leaseMs: number },
): Promise<boolean> {
  const rows = await sql.query<{ attempts: number }[]>(
    `update digest_sends set lease_until = now() + make_interval(secs => ?)
     where client_id = ? and period = ? and status = 'sending' and attempts = ? returning attempts`,
    [input.leaseMs / 1000, input.clientId, input.period, input.attempt],
  );
  return rows.length > 0;
}

/** Ends the claim: `sent` (with the figures) or `failed`; a no-op for a claim taken over since. */
export async function finishClaim(
  sql: Pick<Sql, 'query'>,
  input: { clientId: string; period: string; attempt: number; status: 'sent' | 'failed'; at: Date; figures?: unknown },
): Promise<void> {
  await sql.query(
    `update digest_sends set status = ?, sent_at = ?, figures = coalesce(?::jsonb, figures), lease_until = null
     where client_id = ? and period = ? and status = 'sending' and attempts = ?`,
    [
      input.status,
      input.at,
      input.figures === undefined ? null : JSON.stringify(input.figures),
      input.clientId,
      input.period,
      input.attempt,
    ],
  );
}

/** Lets another attempt claim the period at once (the send failed in a way a retry may fix). */
export async function releaseClaim(
  sql: Pick<Sql, 'query'>,
  input: { clientId: string; period: string; attempt: number },
): Promise<void> {
  await sql.query(
    `update digest_sends set lease_until = now() where client_id = ? and period = ? and status = 'sending' and attempts = ?`,
    [input.clientId, input.period, input.attempt],
  );
}

/** Marks a recipient `sending` (one more attempt) unless already sent; false when sent already. */
export async function startDelivery(
  sql: Pick<Sql, 'query'>,
  input: { clientId: string; period: string; userId: string; email: string },
): Promise<boolean> {
  const rows = await sql.query<{ status: string }[]>(
    `insert into digest_deliveries (client_id, period, user_id, email) values (?, ?, ?, ?)
     on conflict (client_id, period, user_id) do update
       set attempts = digest_deliveries.attempts + 1, email = excluded.email
       where digest_deliveries.status = 'sending'
     returning status`,
    [input.clientId, input.period, input.userId, input.email],
  );
  return rows.length > 0;
}

export async function finishDelivery(
  sql: Pick<Sql, 'query'>,
  input: { clientId: string; period: string; userId: string; messageId: string | null; error?: string },
): Promise<void> {
  await sql.query(
    `update digest_deliveries set status = ?, message_id = ?, error = ?, sent_at = case when ? then now() end
     where client_id = ? and period = ? and user_id = ?`,
    [
      input.error ? 'failed' : 'sent',
      input.messageId,
      // An SMTP server's answer may hold characters PostgreSQL cannot store (U+0000): the record must not fail.
      input.error === undefined ? null : storableErrorText(input.error, 500),
      !input.error,
      input.clientId,
      input.period,
      input.userId,
    ],
  );
}

/**
 * Periods whose holder let the lease run out without finishing (it died mid-send). Only the digest's own
 * periods (`daily:`, `weekly:`): the monthly report email claims its months in this table too and retries
 * its own.
 */
export async function expiredClaims(
  sql: Pick<Sql, 'query'>,
  limit = 100,
): Promise<Array<{ clientId: string; period: string; slotAt: Date; attempts: number }>> {
  const rows = await sql.query<{ client_id: string; period: string; slot_at: Date | string; attempts: number }[]>(
    `select client_id, period, slot_at, attempts from digest_sends
     where status = 'sending' and slot_at is not null and lease_until < now()
       and (period like 'daily:%' or period like 'weekly:%') order by lease_until limit ?`,
    [limit],
  );
  return rows.map((r) => ({
    clientId: r.client_id,
    period: r.period,
    slotAt: new Date(r.slot_at),
    attempts: Number(r.attempts),
  }));
}
