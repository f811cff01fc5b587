import type { BusinessHours } from '@leaddesk/shared';
import { isOpenNow } from '../../ai/agent/business-hours.js';
import type { Sql } from '../../db/sql.js';

/** What a digest reports for one tenant and one period. */
export interface DigestFigures {
  newLeads: number;
  hotLeads: number;
  /** New leads whose first contact came outside business hours (in the tenant's time zone). */
  afterHoursLeads: number;
  /** Escalations still pending at the end of the period. */
  unansweredEscalations: number;
  /** Seconds from a new conversation's first lead message to our first answer. */
  responseSeconds: { median: number | null; p90: number | null; count: number };
  followUpsSent: number;
  /** Runs that had a follow-up in the period and then got the lead's reply. */
  followUpReplies: number;
}

/** Every figure for [from, to), scoped to one tenant. */
export async function digestFigures(
  sql: Pick<Sql, 'query'>,
  input: { clientId: string; from: Date; to: Date; timezone: string; hours: BusinessHours },
): Promise<DigestFigures> {
  const { clientId, from, to } = input;
  const range = [clientId, from, to];
  const leads = await sql.query<{ created_at: Date | string; temperature: string }[]>(
    'select created_at, temperature from leads where client_id = ? and created_at >= ? and created_at < ? limit 20000',
    range,
  );
  const hot = await sql.query<{ n: string }[]>(
    `select count(*) as n from leads where client_id = ? and temperature = 'hot'
       and greatest(created_at, updated_at) >= ? and greatest(created_at, updated_at) < ?`,
    range,
  );
  const escalations = await sql.query<{ n: string }[]>(
    `select count(*) as n from escalations where client_id = ? and status = 'pending' and created_at < ?`,
    [clientId, to],
  );
  const responses = await sql.query<{ s: number | string }[]>(
    `select extract(epoch from (r.at - v.at)) as s
       from conversations c
       cross join lateral (select min(created_at) as at from messages
                           where conversation_id = c.id and role = 'visitor') v
       cross join lateral (select min(created_at) as at from messages
                           where conversation_id = c.id and role in ('ai', 'staff') and created_at >= v.at) r
      where c.client_id = ? and c.created_at >= ? and c.created_at < ? and v.at is not null and r.at is not null`,
    range,
  );
  const followUps = await sql.query<{ sent: string; replied: string }[]>(
    `select count(*) as sent,
        count(distinct s.run_id) filter (where r.stopped_reason = 'reply') as replied
       from follow_up_sends s join follow_up_runs r on r.id = s.run_id
      where s.client_id = ? and s.sent_at >= ? and s.sent_at < ?`,
    range,
  );
  const seconds = responses.map((r) => Number(r.s)).sort((a, b) => a - b);
  const at = (q: number) =>
    seconds.length ? (seconds[Math.min(seconds.length - 1, Math.floor(q * seconds.length))] ?? null) : null;
  return {
    newLeads: leads.length,
    hotLeads: Number(hot[0]?.n ?? 0),
    afterHoursLeads: leads.filter((l) => !isOpenNow(input.hours, input.timezone, new Date(l.created_at))).length,
    unansweredEscalations: Number(escalations[0]?.n ?? 0),
    responseSeconds: {
      median: at(0.5) === null ? null : Math.round(at(0.5) as number),
      p90: at(0.9) === null ? null : Math.round(at(0.9) as number),
      count: seconds.length,
    },
    followUpsSent: Number(followUps[0]?.sent ?? 0),
    followUpReplies: Number(followUps[0]?.replied ?? 0),
  };
}
