import type { ReportInsightsDto } from '@leaddesk/shared';
import type { Sql } from '../../db/sql.js';

type Query = Pick<Sql, 'query'>;

export interface FollowUpStepCount {
  sequence: string;
  /** 1-based. */
  step: number;
  sent: number;
  replies: number;
  bookings: number;
}

const ratio = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);

/**
 * What each follow-up step sent in [start, end) achieved (the rollup's
 * refresh reads it per local day). A step counts on the day it was sent
 * (`follow_up_sends.sent_at`, `(client_id, sent_at)` index).
 * Each send is credited until the run's next send (or for good, after the
 * last one), so a reply or a booking is credited to the last step before it:
 * - **reply**: a visitor message in the conversation after the step's message
 *   (by `seq`, the `(conversation_id, seq)` index) and before the next step's;
 * - **booking**: a booking request (not failed) for the run's lead, or its
 *   conversation when it has no lead, made after the send and before the
 *   next one; or the run stopped because the lead booked (stop reason
 *   `booking`, set however the appointment was made) and this was its last send.
 * The booking is looked up by the run's lead on `(client_id, lead_id, …)`, a
 * few rows per send; a `case` choosing lead or conversation inside one
 * subquery hid that index, and every send scanned all the tenant's bookings
 * (24 s for 6,700 sends beside 17,000 bookings: bench/insights.bench.ts). Only
 * a run without a lead is matched by conversation (no index: its bookings
 * after the send, by time). The steps' messages are read one by one by id
 * (`limit 1` keeps them probes): as a join, a 90-day period's 20,000 sends
 * made the planner hash all the tenant's messages instead.
 */
export async function followUpStepCounts(
  sql: Query,
  clientId: string,
  window: { start: Date; end: Date },
): Promise<FollowUpStepCount[]> {
  const rows = await sql.query<FollowUpStepCount[]>(
    `select r.key as sequence, s.step + 1 as step, count(*)::int as sent,
       count(*) filter (where exists (
         select 1 from messages v where v.conversation_id = s.conversation_id and v.role = 'visitor'
           and v.seq > sm.seq and (nm.seq is null or v.seq < nm.seq)))::int as replies,
       count(*) filter (where exists (
           select 1 from bookings b where b.client_id = s.client_id and b.lead_id = r.lead_id and b.status <> 'failed'
             and b.created_at > s.sent_at and (n.sent_at is null or b.created_at < n.sent_at))
         or (r.lead_id is null and exists (
           select 1 from bookings b where b.client_id = s.client_id and b.conversation_id = s.conversation_id
             and b.status <> 'failed' and b.created_at > s.sent_at and (n.sent_at is null or b.created_at < n.sent_at)))
         or (r.stopped_reason = 'booking' and n.run_id is null))::int as bookings
     from follow_up_sends s
     join follow_up_runs r on r.id = s.run_id and r.client_id = s.client_id
     cross join lateral (select m.seq from messages m where m.id = s.message_id limit 1) sm
     left join lateral (select x.run_id, x.sent_at, x.message_id from follow_up_sends x
       where x.run_id = s.run_id and x.step > s.step order by x.step limit 1) n on true
     left join lateral (select m.seq from messages m where m.id = n.message_id limit 1) nm on true
     where s.client_id = ? and s.sent_at >= ? and s.sent_at < ?
     group by 1, 2 order by 1, 2`,
    [clientId, window.start, window.end],
  );
  return rows.map((r) => ({ ...r, step: Number(r.step) }));
}

/**
 * The follow-up steps of the local days [from, to], summed from the daily
 * rollup (`report_follow_up_daily`, written by `followUpStepCounts` per day).
 */
export async function followUpSteps(
  sql: Query,
  clientId: string,
  days: { from: string; to: string },
): Promise<ReportInsightsDto['followUps']> {
  const rows = await sql.query<FollowUpStepCount[]>(
    `select sequence, step, sum(sent)::int as sent, sum(replies)::int as replies, sum(bookings)::int as bookings
     from report_follow_up_daily where client_id = ? and day between ?::date and ?::date
     group by 1, 2 order by 1, 2`,
    [clientId, days.from, days.to],
  );
  return rows.map((r) => ({
    sequence: r.sequence,
    step: Number(r.step),
    sent: r.sent,
    replies: r.replies,
    replyRate: ratio(r.replies, r.sent),
    bookings: r.bookings,
    bookingRate: ratio(r.bookings, r.sent),
  }));
}
