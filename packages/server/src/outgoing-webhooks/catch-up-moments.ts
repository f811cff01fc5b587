import type { Channel, LeadStatus } from '@leaddesk/shared';
import type { DomainEvents } from '../conversation/domain-events.js';
import { LEAD_COLUMNS, type LeadRow, leadRowToDto } from '../conversation/rows.js';
import type { Sql } from '../db/sql.js';
import {
  bookingChangedEvent,
  leadHotEvent,
  statusChangedEvents,
  takenOverEvent,
  type WebhookEvent,
} from './webhook-events.js';

/**
 * The catch-up of moments (catch-up.ts does the facts that are rows): a
 * lead's status change or turn to hot (`lead_moments`, written by a trigger in
 * the change's transaction), a booking change (`booking_changes`, written by
 * the booking service in its transaction) and a takeover (the `takeover` line
 * of `conversation_events`). Each query finds the moments of the window whose
 * event the live path did not record, by the key it would have used, so a
 * tenant with many recorded moments never hides a missed one behind `limit`.
 *
 * What a moment does not keep comes from the rows as they are now: the lead's
 * fields in `lead.status_changed` / `lead.hot`, and who changed a status (`by`
 * is "system" in a recovered event).
 */

/** The rows a sweep looks at (catch-up.ts). */
export interface CatchUpWindow {
  /** Rows created after this (the retry window of a delivery: a day). */
  since: Date;
  /** ... and before this: the live path's own time to write the outbox row. */
  until: Date;
  /** At most this many rows per kind and sweep; the next sweep takes the rest. */
  limit: number;
}

/** The ISO text JavaScript gives the same instant (`Date#toISOString`), for keys built in SQL. */
const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const SUBSCRIBED = (type: string) =>
  `exists (select 1 from outgoing_webhook_endpoints e where e.client_id = x.client_id and e.enabled
     and ${type} = any(e.events) and e.created_at <= x.created_at)`;
const MISSING = (key: string) =>
  `not exists (select 1 from outgoing_webhook_events o where o.client_id = x.client_id and o.dedup_key = ${key})`;
/** The moment's own event, or its `lead.qualified` twin, subscribed to and missing. */
const WANTED = (type: string, key: string) => `(${SUBSCRIBED(type)} and ${MISSING(key)})`;

const leadColumns = LEAD_COLUMNS.split(', ')
  .map((c) => `l.${c}`)
  .join(', ');

export async function missedMomentsOf(
  sql: Pick<Sql, 'query'>,
  clientId: string,
  w: CatchUpWindow,
): Promise<WebhookEvent[]> {
  const args = [clientId, w.since, w.until, w.limit];
  const window = 'x.client_id = ? and x.created_at > ? and x.created_at <= ?';
  const statusKey = `x.lead_id || ':' || ${iso('x.at')} || ':' || x.to_status`;
  const statuses = await sql.query<(LeadRow & { from_status: LeadStatus; to_status: LeadStatus; moment_at: Date })[]>(
    `select ${leadColumns}, x.from_status, x.to_status, x.at as moment_at
       from lead_moments x join leads l on l.id = x.lead_id and l.client_id = x.client_id
      where ${window} and x.kind = 'status'
        and (${WANTED("'lead.status_changed'", `'lead.status_changed:' || ${statusKey}`)}
          or (x.to_status = 'qualified' and ${WANTED("'lead.qualified'", `'lead.qualified:' || ${statusKey}`)}))
      order by x.created_at, x.id limit ?`,
    args,
  );
  const hot = await sql.query<LeadRow[]>(
    `select distinct on (x.lead_id) ${leadColumns}
       from lead_moments x join leads l on l.id = x.lead_id and l.client_id = x.client_id
      where ${window} and x.kind = 'hot' and ${WANTED("'lead.hot'", `'lead.hot:' || x.lead_id`)}
      order by x.lead_id limit ?`,
    args,
  );
  const bookings = await sql.query<
    {
      client_id: string;
      booking_id: string;
      lead_id: string | null;
      conversation_id: string | null;
      change: 'created' | 'rescheduled' | 'cancelled';
      by: DomainEvents['booking.changed']['by'];
      starts_at: Date;
      ends_at: Date | null;
      service: string | null;
    }[]
  >(
    `select x.client_id, x.booking_id, b.lead_id, b.conversation_id, x.change, x.by, x.starts_at, x.ends_at, b.service
       from booking_changes x join bookings b on b.id = x.booking_id and b.client_id = x.client_id
      where ${window}
        and ${WANTED(`('booking.' || x.change)`, `'booking.' || x.change || ':' || x.booking_id || ':' || ${iso('x.starts_at')}`)}
      order by x.created_at, x.id limit ?`,
    args,
  );
  const takeovers = await sql.query<
    { id: string; client_id: string; conversation_id: string; actor_id: string | null; channel: Channel }[]
  >(
    `select x.id, x.client_id, x.conversation_id, x.actor_id, c.channel
       from conversation_events x join conversations c on c.id = x.conversation_id and c.client_id = x.client_id
      where ${window} and x.kind = 'takeover'
        and ${WANTED("'conversation.taken_over'", `'conversation.taken_over:' || x.id`)}
      order by x.created_at limit ?`,
    args,
  );

  const events: WebhookEvent[] = [];
  for (const row of statuses) {
    events.push(
      ...statusChangedEvents(clientId, {
        lead: leadRowToDto(row),
        from: row.from_status,
        to: row.to_status,
        by: 'system',
        at: new Date(row.moment_at).toISOString(),
      }),
    );
  }
  for (const row of hot) events.push(leadHotEvent(clientId, leadRowToDto(row)));
  for (const b of bookings) {
    events.push(
      bookingChangedEvent({
        clientId,
        leadId: b.lead_id,
        conversationId: b.conversation_id,
        bookingId: b.booking_id,
        change: b.change,
        startsAt: new Date(b.starts_at).toISOString(),
        endsAt: b.ends_at ? new Date(b.ends_at).toISOString() : null,
        service: b.service,
        by: b.by,
      }),
    );
  }
  for (const t of takeovers) {
    events.push(
      takenOverEvent({
        clientId,
        conversationId: t.conversation_id,
        channel: t.channel,
        holderId: t.actor_id,
        historyId: t.id,
      }),
    );
  }
  return events;
}

/** Moments are kept this long: twice the catch-up's window, so a sweep never looks for a pruned one. */
export const MOMENT_RETENTION_MS = 2 * 24 * 3_600_000;

/**
 * Deletes moments older than `before`, a batch per table per call (the sweep calls it every time it
 * runs, so a backlog drains over a few sweeps without one long statement). Idempotent: two processes
 * pruning at once delete each row once.
 */
export async function pruneMoments(sql: Pick<Sql, 'query'>, before: Date, batch = 1000): Promise<void> {
  for (const table of ['lead_moments', 'booking_changes']) {
    await sql.query(
      `delete from ${table} where id in (select id from ${table} where created_at < ? order by created_at limit ?)`,
      [before, batch],
    );
  }
}
