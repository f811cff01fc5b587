import { scheduleOf } from '../automation/business-hours/index.js';
import type { Sql } from '../db/sql.js';
import { INSIGHT_TABLES } from './insight-rollup.js';
import { type ReportClient, recomputeDay, rollupConfigHash } from './report-rollup.js';

type Query = Pick<Sql, 'query'>;

/**
 * The instants whose local days hold rollup rows of these conversations and
 * leads: their messages (questions, response times, follow-up sends), the
 * conversations' and leads' creation and their bookings' requests. Read
 * before the rows are deleted.
 */
export async function rollupInstantsOf(
  tx: Query,
  clientId: string,
  conversationIds: string[],
  leadIds: string[],
): Promise<Date[]> {
  if (!conversationIds.length && !leadIds.length) return [];
  const rows = await tx.query<Array<{ at: Date }>>(
    `select created_at as at from messages where client_id = ? and conversation_id = any(?::uuid[])
     union select created_at from conversations where client_id = ? and id = any(?::uuid[])
     union select created_at from leads where client_id = ? and id = any(?::uuid[])
     union select created_at from bookings where client_id = ? and lead_id = any(?::uuid[])`,
    [clientId, conversationIds, clientId, conversationIds, clientId, leadIds, clientId, leadIds],
  );
  return rows.map((r) => r.at);
}

/**
 * Rewrites, in the caller's transaction, one tenant's rollup days that held
 * rows just deleted or anonymised (erasure, retention), so no rollup keeps a
 * visitor's question text, or a count, of rows that are gone: the question
 * rollup stores wordings, which is text. Takes the tenant's rollup lock like
 * a refresh (report-rollup.ts). A rollup to be rebuilt anyway (never built,
 * or built with other settings) is emptied now and left to that rebuild.
 */
export async function forgetInRollups(tx: Query, clientId: string, instants: Date[]): Promise<number> {
  if (!instants.length) return 0;
  const [client] = await tx.query<ReportClient[]>('select id, timezone, locale, config from clients where id = ?', [
    clientId,
  ]);
  const [state] = await tx.query<Array<{ processed_until: Date | null; config_hash: string }>>(
    'select processed_until, config_hash from report_rollup_state where client_id = ? for update',
    [clientId],
  );
  if (!client || !state) return 0;
  if (!state.processed_until || state.config_hash !== rollupConfigHash(client)) {
    for (const table of ['report_daily', ...INSIGHT_TABLES]) {
      await tx.query(`delete from ${table} where client_id = ?`, [clientId]);
    }
    await tx.query('update report_rollup_state set processed_until = null where client_id = ?', [clientId]);
    return 0;
  }
  const schedule = scheduleOf(client);
  const days = await tx.query<Array<{ day: string }>>(
    `select distinct to_char(x at time zone ?, 'YYYY-MM-DD') as day from unnest(?::timestamptz[]) x order by 1`,
    [schedule.timezone, instants],
  );
  for (const { day } of days) await recomputeDay(tx, client, schedule, day);
  return days.length;
}
