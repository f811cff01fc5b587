import { randomUUID } from 'node:crypto';
import type { OutgoingWebhookEventType, WebhookEndpointView } from '@leaddesk/shared';
import type { Sql } from '../db/sql.js';

/**
 * The `outgoing_webhook_endpoints` rows, always scoped by `client_id`: another
 * tenant's endpoint is simply not found.
 */
export interface EndpointRow {
  id: string;
  client_id: string;
  url: string;
  description: string;
  events: OutgoingWebhookEventType[];
  secret_sealed: string;
  secret_last4: string;
  enabled: boolean;
  disabled_reason: string | null;
  disabled_at: Date | null;
  failing_since: Date | null;
  created_at: Date;
  updated_at: Date;
}

type Query = Pick<Sql, 'query'>;

export function endpointView(row: EndpointRow): WebhookEndpointView {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events,
    enabled: row.enabled,
    disabledReason: row.disabled_reason,
    disabledAt: row.disabled_at ? new Date(row.disabled_at).toISOString() : null,
    secret: { set: true, last4: row.secret_last4 },
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export async function listEndpoints(sql: Query, clientId: string): Promise<EndpointRow[]> {
  return sql.query<EndpointRow[]>(
    'select * from outgoing_webhook_endpoints where client_id = ? order by created_at, id',
    [clientId],
  );
}

export async function getEndpoint(
  sql: Query,
  clientId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<EndpointRow | null> {
  const rows = await sql.query<EndpointRow[]>(
    `select * from outgoing_webhook_endpoints where id = ? and client_id = ?${options.forUpdate ? ' for update' : ''}`,
    [id, clientId],
  );
  return rows[0] ?? null;
}

export async function insertEndpoint(
  sql: Query,
  input: {
    clientId: string;
    url: string;
    description: string;
    events: string[];
    secretSealed: string;
    secretLast4: string;
    now: Date;
  },
): Promise<EndpointRow> {
  const rows = await sql.query<EndpointRow[]>(
    `insert into outgoing_webhook_endpoints
       (id, client_id, url, description, events, secret_sealed, secret_last4, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning *`,
    [
      randomUUID(),
      input.clientId,
      input.url,
      input.description,
      input.events,
      input.secretSealed,
      input.secretLast4,
      input.now,
      input.now,
    ],
  );
  return rows[0] as EndpointRow;
}

export async function updateEndpoint(
  sql: Query,
  row: EndpointRow,
  change: { url: string; description: string; events: string[]; enabled: boolean },
  now: Date,
): Promise<EndpointRow> {
  const reEnabled = change.enabled && !row.enabled;
  const disabled = !change.enabled && row.enabled;
  const rows = await sql.query<EndpointRow[]>(
    `update outgoing_webhook_endpoints set url = ?, description = ?, events = ?, enabled = ?,
       disabled_reason = case when ? then null when ? then 'disabled by staff' else disabled_reason end,
       disabled_at = case when ? then null when ? then ?::timestamptz else disabled_at end,
       failing_since = case when ? then null else failing_since end,
       updated_at = ?
     where id = ? and client_id = ? returning *`,
    [
      change.url,
      change.description,
      change.events,
      change.enabled,
      reEnabled,
      disabled,
      reEnabled,
      disabled,
      now,
      reEnabled,
      now,
      row.id,
      row.client_id,
    ],
  );
  if (disabled) await failPendingDeliveries(sql, row.client_id, row.id, 'the endpoint was disabled');
  return rows[0] as EndpointRow;
}

export async function rotateEndpointSecret(
  sql: Query,
  clientId: string,
  id: string,
  sealed: string,
  last4: string,
  now: Date,
): Promise<EndpointRow | null> {
  const rows = await sql.query<EndpointRow[]>(
    `update outgoing_webhook_endpoints set secret_sealed = ?, secret_last4 = ?, updated_at = ?
     where id = ? and client_id = ? returning *`,
    [sealed, last4, now, id, clientId],
  );
  return rows[0] ?? null;
}

export async function deleteEndpoint(sql: Query, clientId: string, id: string): Promise<boolean> {
  const rows = await sql.query<{ id: string }[]>(
    'delete from outgoing_webhook_endpoints where id = ? and client_id = ? returning id',
    [id, clientId],
  );
  return rows.length > 0;
}

/** Deliveries waiting for a disabled endpoint fail now (staff can replay them once it is enabled again). */
export async function failPendingDeliveries(
  sql: Query,
  clientId: string,
  endpointId: string,
  reason: string,
): Promise<void> {
  await sql.query(
    `update outgoing_webhook_deliveries set status = 'failed', last_error = ?, leased_until = null
     where endpoint_id = ? and client_id = ? and status = 'pending'`,
    [reason, endpointId, clientId],
  );
}
