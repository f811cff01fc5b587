import type { CalcomSettingsView } from '@leaddesk/shared';
import type { SecretBox } from '../channels/settings/secret-box.js';
import type { Sql } from '../db/sql.js';

/**
 * A tenant's Cal.com connection (`calcom_settings`). The API key and the
 * webhook secret are sealed with the same SecretBox as the channel
 * credentials; only their last four characters are kept in clear for hints.
 */
export interface CalcomSettingsRow {
  client_id: string;
  api_key: string;
  api_key_last4: string;
  webhook_secret: string | null;
  webhook_secret_last4: string | null;
  default_event_type_id: number;
  event_types: Array<{ service: string; eventTypeId: number }> | string;
  booking_window_days: number;
  buffer_minutes: number;
}

/** Decrypted, ready to use. */
export interface CalcomSettings {
  clientId: string;
  apiKey: string;
  webhookSecret: string | null;
  defaultEventTypeId: number;
  eventTypes: Array<{ service: string; eventTypeId: number }>;
  bookingWindowDays: number;
  bufferMinutes: number;
}

const COLUMNS =
  'client_id, api_key, api_key_last4, webhook_secret, webhook_secret_last4, default_event_type_id, event_types, booking_window_days, buffer_minutes';

export async function readCalcomRow(db: Pick<Sql, 'query'>, clientId: string, lock = false) {
  const rows = await db.query<CalcomSettingsRow[]>(
    `select ${COLUMNS} from calcom_settings where client_id = ?${lock ? ' for update' : ''}`,
    [clientId],
  );
  return rows[0] ?? null;
}

export function eventTypesOf(row: CalcomSettingsRow): Array<{ service: string; eventTypeId: number }> {
  return typeof row.event_types === 'string' ? JSON.parse(row.event_types) : row.event_types;
}

export async function loadCalcomSettings(
  db: Pick<Sql, 'query'>,
  clientId: string,
  box: SecretBox | null,
): Promise<CalcomSettings | null> {
  const row = await readCalcomRow(db, clientId);
  if (!row || !box) return null;
  return {
    clientId,
    apiKey: box.open(row.api_key),
    webhookSecret: row.webhook_secret ? box.open(row.webhook_secret) : null,
    defaultEventTypeId: Number(row.default_event_type_id),
    eventTypes: eventTypesOf(row),
    bookingWindowDays: Number(row.booking_window_days),
    bufferMinutes: Number(row.buffer_minutes),
  };
}

export async function writeCalcomRow(
  db: Pick<Sql, 'query'>,
  row: Omit<CalcomSettingsRow, 'event_types'> & { event_types: Array<{ service: string; eventTypeId: number }> },
): Promise<void> {
  await db.query(
    `insert into calcom_settings (${COLUMNS}, updated_at) values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, now())
     on conflict (client_id) do update set api_key = excluded.api_key, api_key_last4 = excluded.api_key_last4,
       webhook_secret = excluded.webhook_secret, webhook_secret_last4 = excluded.webhook_secret_last4,
       default_event_type_id = excluded.default_event_type_id, event_types = excluded.event_types,
       booking_window_days = excluded.booking_window_days, buffer_minutes = excluded.buffer_minutes,
       updated_at = now()`,
    [
      row.client_id,
      row.api_key,
      row.api_key_last4,
      row.webhook_secret,
      row.webhook_secret_last4,
      row.default_event_type_id,
      JSON.stringify(row.event_types),
      row.booking_window_days,
      row.buffer_minutes,
    ],
  );
}

export function calcomSettingsView(row: CalcomSettingsRow | null, webhookUrl: string): CalcomSettingsView {
  if (!row) return { configured: false, webhookUrl };
  return {
    configured: true,
    apiKey: { set: true, last4: row.api_key_last4 },
    webhookSecret: row.webhook_secret ? { set: true, last4: row.webhook_secret_last4 ?? '••••' } : { set: false },
    defaultEventTypeId: Number(row.default_event_type_id),
    eventTypes: eventTypesOf(row),
    bookingWindowDays: Number(row.booking_window_days),
    bufferMinutes: Number(row.buffer_minutes),
    webhookUrl,
  };
}

/** The event type for a service (case-insensitive), else the default. */
export function eventTypeFor(settings: CalcomSettings, service: string | null | undefined): number {
  const wanted = service?.trim().toLowerCase();
  const match = wanted ? settings.eventTypes.find((e) => e.service.trim().toLowerCase() === wanted) : undefined;
  return match?.eventTypeId ?? settings.defaultEventTypeId;
}
