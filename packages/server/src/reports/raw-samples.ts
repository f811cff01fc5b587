import type { Sql } from '../db/sql.js';

/**
 * The raw facts behind the reports, for one tenant and one window of time
 * [start, end): the response-time samples whose clock *started* in the window
 * and the leads created in it. The rollup calls this for one local day; the
 * reference computation (tests, bench) for a whole period. Definitions: docs/reports.md.
 */
type Query = Pick<Sql, 'query'>;

export interface ResponseSample {
  kind: 'first_response' | 'staff_reply' | 'takeover';
  /** Who answered: 'ai' or 'staff' (takeover: always staff). */
  by: 'ai' | 'staff';
  /** The first response also counts as a staff reply when staff gave it. */
  first: boolean;
  channel: string;
  startAt: Date;
  seconds: number;
}

export interface InquiryRow {
  channel: string;
  at: Date;
  serviceInterest: string;
  qualified: boolean;
  booked: boolean;
  won: boolean;
}

/**
 * Visitor messages that start a run (nothing but notes/system lines since the
 * last AI or staff message), each with the first AI or staff message after it.
 * A run nobody answered yet has no sample.
 */
const RUNS = `select c.channel, v.created_at as start_at, r.role as by, r.created_at as answered_at,
    not exists (select 1 from messages p where p.conversation_id = v.conversation_id and p.seq < v.seq and p.role = 'visitor') as first
  from messages v
  join conversations c on c.id = v.conversation_id
  cross join lateral (select m.role, m.created_at from messages m
    where m.conversation_id = v.conversation_id and m.seq > v.seq and m.role in ('ai', 'staff')
    order by m.seq limit 1) r
  where v.client_id = ? and v.role = 'visitor' and v.created_at >= ? and v.created_at < ?
    and coalesce((select p.role from messages p where p.conversation_id = v.conversation_id and p.seq < v.seq
      and p.role in ('visitor', 'ai', 'staff') order by p.seq desc limit 1), 'ai') <> 'visitor'`;

/** Each escalation with the first takeover of its conversation at or after it. */
const TAKEOVERS = `select c.channel, e.created_at as start_at, t.created_at as answered_at
  from escalations e
  join conversations c on c.id = e.conversation_id
  cross join lateral (select ev.created_at from conversation_events ev
    where ev.conversation_id = e.conversation_id and ev.kind = 'takeover' and ev.created_at >= e.created_at
    order by ev.created_at limit 1) t
  where e.client_id = ? and e.created_at >= ? and e.created_at < ?`;

const INQUIRIES = `select l.source as channel, l.created_at as at, coalesce(l.qualification->>'serviceInterest', '') as service,
    l.status in ('qualified', 'appointment_booked', 'handed_off', 'closed_won') as qualified,
    (l.status = 'appointment_booked' or l.appointment_at is not null) as booked,
    l.status = 'closed_won' as won
  from leads l where l.client_id = ? and l.created_at >= ? and l.created_at < ?`;

const seconds = (from: Date | string, to: Date | string) => (new Date(to).getTime() - new Date(from).getTime()) / 1000;

export async function responseSamples(q: Query, clientId: string, start: Date, end: Date): Promise<ResponseSample[]> {
  const runs = await q.query<
    Array<{ channel: string; start_at: Date; by: 'ai' | 'staff'; answered_at: Date; first: boolean }>
  >(RUNS, [clientId, start, end]);
  const takeovers = await q.query<Array<{ channel: string; start_at: Date; answered_at: Date }>>(TAKEOVERS, [
    clientId,
    start,
    end,
  ]);
  const out: ResponseSample[] = [];
  for (const r of runs) {
    const base = { channel: r.channel, startAt: new Date(r.start_at), seconds: seconds(r.start_at, r.answered_at) };
    if (r.first) out.push({ ...base, kind: 'first_response', by: r.by, first: true });
    if (r.by === 'staff') out.push({ ...base, kind: 'staff_reply', by: 'staff', first: r.first });
  }
  for (const t of takeovers) {
    out.push({
      kind: 'takeover',
      by: 'staff',
      first: false,
      channel: t.channel,
      startAt: new Date(t.start_at),
      seconds: seconds(t.start_at, t.answered_at),
    });
  }
  return out;
}

export async function inquiryRows(q: Query, clientId: string, start: Date, end: Date): Promise<InquiryRow[]> {
  const rows = await q.query<
    Array<{ channel: string; at: Date; service: string; qualified: boolean; booked: boolean; won: boolean }>
  >(INQUIRIES, [clientId, start, end]);
  return rows.map((r) => ({
    channel: r.channel,
    at: new Date(r.at),
    serviceInterest: r.service,
    qualified: r.qualified,
    booked: r.booked,
    won: r.won,
  }));
}

/** The configured service a lead's free-text interest names ('' when none): equal, else contained, without case. */
export function serviceOf(interest: string, services: readonly string[]): string {
  const text = interest.trim().toLowerCase();
  if (!text) return '';
  const exact = services.find((s) => s.toLowerCase() === text);
  if (exact) return exact;
  return services.find((s) => text.includes(s.toLowerCase())) ?? '';
}
