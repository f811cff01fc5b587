import { randomUUID } from 'node:crypto';
import type { Sql } from '../db/sql.js';

export interface LeadView {
  clientId: string;
  leadId: string;
  actor: 'user' | 'api_key';
  /** Null for an API key (it has no account). */
  userId: string | null;
  ip: string | null;
  userAgent: string | null;
}

/** How long one entry stands for every further opening of the lead by the same caller. */
export const LEAD_VIEW_WINDOW_MS = 3_600_000;

/**
 * Access audit (issue 18): who opened which lead, as an audit entry
 * `lead.viewed` with the lead's id as target and nothing of its data. One
 * entry per caller and lead per hour: the insert checks for a recent one and
 * takes a transaction lock on the pair, so processes opening the same lead at
 * once still write one. Returns whether an entry was written.
 */
export async function recordLeadView(sql: Sql, view: LeadView, at = new Date()): Promise<boolean> {
  return sql.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock(hashtext(?))', [
      `lead.viewed:${view.leadId}:${view.userId ?? view.actor}`,
    ]);
    const rows = await tx.query<{ id: string }[]>(
      `insert into audit_logs (id, client_id, user_id, actor, action, target, metadata, ip, user_agent, created_at)
       select ?, ?, ?, ?, 'lead.viewed', ?, '{}'::jsonb, ?, ?, ?
       where not exists (
         select 1 from audit_logs where action = 'lead.viewed' and target = ? and user_id is not distinct from ?::uuid
           and actor = ? and client_id = ? and created_at > ?)
       returning id`,
      [
        randomUUID(),
        view.clientId,
        view.userId,
        view.actor,
        view.leadId,
        view.ip?.slice(0, 64) ?? null,
        view.userAgent?.slice(0, 500) ?? null,
        at,
        view.leadId,
        view.userId,
        view.actor,
        view.clientId,
        new Date(at.getTime() - LEAD_VIEW_WINDOW_MS),
      ],
    );
    return rows.length > 0;
  });
}
