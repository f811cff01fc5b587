import type { Sql } from '../../db/sql.js';

type Query = Pick<Sql, 'query'>;

/** Leads of one local week, one service text and one attribution, by outcome. */
export interface OutcomeGroup {
  /** The Monday of the lead's local creation week. */
  weekStart: string;
  /** The lead's `serviceInterest` as written (matched to a configured service by the caller). */
  serviceInterest: string;
  attributed: boolean;
  qualified: number;
  booked: number;
  won: number;
}

/**
 * The leads created in [start, end) with an outcome (qualified, booked or
 * won, as the missed-revenue report defines them), grouped by local week,
 * service text and whether Lead Desk is credited: the first answer (AI or
 * staff message after the first visitor message) of the lead's first
 * conversation (earliest created, then lowest id) is the AI's.
 *
 * Indexed, never a scan of messages: the leads by (client_id, created_at),
 * each one's conversations by (client_id, lead_id, …), and in its first
 * conversation the messages by (conversation_id, seq) from the start — a few
 * rows each. Only leads with an outcome are looked into.
 */
const OUTCOMES = `select to_char(date_trunc('week', l.created_at at time zone ?), 'YYYY-MM-DD') as week_start,
    coalesce(l.qualification->>'serviceInterest', '') as service,
    coalesce(fa.role = 'ai', false) as attributed,
    count(*) filter (where l.status in ('qualified', 'appointment_booked', 'handed_off', 'closed_won'))::int as qualified,
    count(*) filter (where l.status = 'appointment_booked' or l.appointment_at is not null)::int as booked,
    count(*) filter (where l.status = 'closed_won')::int as won
  from leads l
  left join lateral (select c.id from conversations c where c.client_id = l.client_id and c.lead_id = l.id
    order by c.created_at, c.id limit 1) fc on true
  left join lateral (select m.role from messages m
    where m.conversation_id = fc.id and m.role in ('ai', 'staff')
      and m.seq > (select v.seq from messages v where v.conversation_id = fc.id and v.role = 'visitor' order by v.seq limit 1)
    order by m.seq limit 1) fa on true
  where l.client_id = ? and l.created_at >= ? and l.created_at < ?
    and (l.status in ('qualified', 'appointment_booked', 'handed_off', 'closed_won') or l.appointment_at is not null)
  group by 1, 2, 3`;

export async function outcomeGroups(
  q: Query,
  clientId: string,
  timezone: string,
  start: Date,
  end: Date,
): Promise<OutcomeGroup[]> {
  const rows = await q.query<
    Array<{ week_start: string; service: string; attributed: boolean; qualified: number; booked: number; won: number }>
  >(OUTCOMES, [timezone, clientId, start, end]);
  return rows.map((r) => ({
    weekStart: r.week_start,
    serviceInterest: r.service,
    attributed: r.attributed,
    qualified: Number(r.qualified),
    booked: Number(r.booked),
    won: Number(r.won),
  }));
}

/** Every lead created in [start, end), and those whose temperature is hot now. */
export async function leadCounts(
  q: Query,
  clientId: string,
  start: Date,
  end: Date,
): Promise<{ leads: number; hot: number }> {
  const [row] = await q.query<Array<{ leads: number; hot: number }>>(
    `select count(*)::int as leads, count(*) filter (where temperature = 'hot')::int as hot
     from leads where client_id = ? and created_at >= ? and created_at < ?`,
    [clientId, start, end],
  );
  return { leads: Number(row?.leads ?? 0), hot: Number(row?.hot ?? 0) };
}
