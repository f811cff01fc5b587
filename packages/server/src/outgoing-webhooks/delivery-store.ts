import { randomUUID } from 'node:crypto';
import type { WebhookAttemptView, WebhookDeliveryView } from '@leaddesk/shared';
import type { Sql } from '../db/sql.js';

type Query = Pick<Sql, 'query'>;

/**
 * The outbox (`outgoing_webhook_events`), the deliveries and their attempt
 * log. Every statement names the tenant; times come from the caller's clock.
 */

export interface NewDelivery {
  id: string;
  clientId: string;
}

/**
 * Stores one event and a pending delivery for each enabled endpoint of the
 * tenant subscribed to its type (or only `onlyEndpointId`), in one statement
 * (one round trip, atomic): nothing is stored when no endpoint wants it. The
 * same dedup key again stores no new event (its deliveries are reused, and a
 * delivery already there for an endpoint is kept), so recording is idempotent.
 */
export async function recordEvent(
  sql: Query,
  input: {
    clientId: string;
    type: string;
    dedupKey: string;
    body: (eventId: string) => string;
    now: Date;
    /** The test event: this endpoint only, whatever it subscribes to. */
    onlyEndpointId?: string;
  },
): Promise<NewDelivery[]> {
  const id = `msg_${randomUUID().replaceAll('-', '')}`;
  const dedupKey = input.dedupKey.slice(0, 300);
  const rows = await sql.query<{ id: string }[]>(
    `with ep as (
       select id from outgoing_webhook_endpoints
        where client_id = ? and enabled and (case when ?::uuid is null then ? = any(events) else id = ?::uuid end)),
     ev as (
       insert into outgoing_webhook_events (id, client_id, type, dedup_key, body, created_at)
       select ?, ?, ?, ?, ?, ? where exists (select 1 from ep)
       on conflict (client_id, dedup_key) do nothing returning id),
     event as (
       select id from ev
       union all
       select id from outgoing_webhook_events where client_id = ? and dedup_key = ? and not exists (select 1 from ev)
       limit 1)
     insert into outgoing_webhook_deliveries (id, client_id, endpoint_id, event_id, next_attempt_at, created_at)
     select gen_random_uuid(), ?, ep.id, event.id, ?, ? from ep cross join event
     on conflict (endpoint_id, event_id) do nothing returning id`,
    [
      input.clientId,
      input.onlyEndpointId ?? null,
      input.type,
      input.onlyEndpointId ?? null,
      id,
      input.clientId,
      input.type,
      dedupKey,
      input.body(id),
      input.now,
      input.clientId,
      dedupKey,
      input.clientId,
      input.now,
      input.now,
    ],
  );
  return rows.map((r) => ({ id: r.id, clientId: input.clientId }));
}

export interface ClaimedDelivery {
  id: string;
  client_id: string;
  attempts: number;
  first_attempt_at: Date;
  event_id: string;
  body: string;
  url: string;
  secret_sealed: string;
  endpoint_id: string;
}

/**
 * Takes a due delivery for one attempt: counts the attempt and holds a lease
 * until `leaseUntil`, without holding a connection or a lock while the HTTP
 * request runs. Null when it is not due, already delivered, held by another
 * attempt, or its endpoint is disabled.
 */
export async function claimDelivery(
  sql: Query,
  input: { id: string; clientId: string; now: Date; leaseUntil: Date; earlyMs: number },
): Promise<ClaimedDelivery | null> {
  const rows = await sql.query<ClaimedDelivery[]>(
    `with claimed as (
       update outgoing_webhook_deliveries d
          set attempts = d.attempts + 1, leased_until = ?, first_attempt_at = coalesce(d.first_attempt_at, ?)
        where d.id = ? and d.client_id = ? and d.status = 'pending'
          and d.next_attempt_at <= ?::timestamptz + (? || ' milliseconds')::interval
          and (d.leased_until is null or d.leased_until < ?)
          and exists (select 1 from outgoing_webhook_endpoints e where e.id = d.endpoint_id and e.enabled)
        returning d.id, d.client_id, d.attempts, d.first_attempt_at, d.event_id, d.endpoint_id)
     select c.*, ev.body, e.url, e.secret_sealed
       from claimed c
       join outgoing_webhook_events ev on ev.id = c.event_id
       join outgoing_webhook_endpoints e on e.id = c.endpoint_id`,
    [input.leaseUntil, input.now, input.id, input.clientId, input.now, String(input.earlyMs), input.now],
  );
  return rows[0] ?? null;
}

export interface AttemptRecord {
  attempt: number;
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  excerpt: string;
  error: string | null;
  succeeded: boolean;
}

export async function insertAttempt(sql: Query, clientId: string, deliveryId: string, a: AttemptRecord): Promise<void> {
  await sql.query(
    `insert into outgoing_webhook_attempts
       (client_id, delivery_id, attempt, started_at, duration_ms, status_code, response_excerpt, error, succeeded)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [clientId, deliveryId, a.attempt, a.startedAt, a.durationMs, a.statusCode, a.excerpt, a.error, a.succeeded],
  );
}

/**
 * A delivered attempt, in one statement: its log line, the delivery
 * succeeded, and the endpoint's failure run ended.
 */
export async function recordSuccess(
  sql: Query,
  claimed: Pick<ClaimedDelivery, 'id' | 'client_id' | 'endpoint_id'>,
  a: AttemptRecord,
  now: Date,
): Promise<void> {
  await sql.query(
    `with attempt as (
       insert into outgoing_webhook_attempts
         (client_id, delivery_id, attempt, started_at, duration_ms, status_code, response_excerpt, error, succeeded)
       values (?, ?, ?, ?, ?, ?, ?, null, true)),
     delivery as (
       update outgoing_webhook_deliveries set status = 'succeeded', delivered_at = ?, leased_until = null,
              last_error = null
        where id = ?)
     update outgoing_webhook_endpoints set failing_since = null where id = ? and failing_since is not null`,
    [
      claimed.client_id,
      claimed.id,
      a.attempt,
      a.startedAt,
      a.durationMs,
      a.statusCode,
      a.excerpt,
      now,
      claimed.id,
      claimed.endpoint_id,
    ],
  );
}

interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  type: string;
  status: WebhookDeliveryView['status'];
  attempts: number;
  next_attempt_at: Date | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
  body: string;
}

interface AttemptRow {
  delivery_id: string;
  attempt: number;
  started_at: Date;
  duration_ms: number;
  status_code: number | null;
  response_excerpt: string;
  error: string | null;
  succeeded: boolean;
}

const DELIVERY_COLUMNS = `d.id, d.endpoint_id, d.event_id, ev.type, d.status, d.attempts, d.next_attempt_at,
  d.last_error, d.created_at, d.delivered_at, ev.body`;

/** A tenant's deliveries, newest first (one endpoint's, or one delivery), each with its attempts. */
export async function listDeliveries(
  sql: Query,
  clientId: string,
  filter: { endpointId?: string; deliveryId?: string; limit: number },
): Promise<WebhookDeliveryView[]> {
  const rows = await sql.query<DeliveryRow[]>(
    `select ${DELIVERY_COLUMNS}
       from outgoing_webhook_deliveries d join outgoing_webhook_events ev on ev.id = d.event_id
      where d.client_id = ? and (?::uuid is null or d.endpoint_id = ?::uuid) and (?::uuid is null or d.id = ?::uuid)
      order by d.created_at desc, d.id limit ?`,
    [
      clientId,
      filter.endpointId ?? null,
      filter.endpointId ?? null,
      filter.deliveryId ?? null,
      filter.deliveryId ?? null,
      filter.limit,
    ],
  );
  if (rows.length === 0) return [];
  const attempts = await sql.query<AttemptRow[]>(
    `select delivery_id, attempt, started_at, duration_ms, status_code, response_excerpt, error, succeeded
       from outgoing_webhook_attempts where client_id = ? and delivery_id = any(?::uuid[]) order by attempt, id`,
    [clientId, rows.map((r) => r.id)],
  );
  const byDelivery = new Map<string, WebhookAttemptView[]>();
  for (const a of attempts) {
    const list = byDelivery.get(a.delivery_id) ?? [];
    list.push({
      attempt: a.attempt,
      startedAt: new Date(a.started_at).toISOString(),
      durationMs: a.duration_ms,
      statusCode: a.status_code,
      responseExcerpt: a.response_excerpt,
      error: a.error,
      succeeded: a.succeeded,
    });
    byDelivery.set(a.delivery_id, list);
  }
  return rows.map((r) => ({
    id: r.id,
    endpointId: r.endpoint_id,
    messageId: r.event_id,
    eventType: r.type,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.status === 'pending' && r.next_attempt_at ? new Date(r.next_attempt_at).toISOString() : null,
    lastError: r.last_error,
    createdAt: new Date(r.created_at).toISOString(),
    deliveredAt: r.delivered_at ? new Date(r.delivered_at).toISOString() : null,
    payload: JSON.parse(r.body) as unknown,
    attemptLog: byDelivery.get(r.id) ?? [],
  }));
}
