import type { BookingDto, BookingSlot, BookingStatus, LeadDto, LeadStatus } from '@leaddesk/shared';
import { canTransitionLead, LEAD_STATUSES } from '@leaddesk/shared';
import { LEAD_COLUMNS, type LeadRow, leadRowToDto } from '../conversation/rows.js';
import type { Sql } from '../db/sql.js';

/**
 * Rows of `bookings` and `booking_offers` (migration 20261203030000), and the
 * lead's appointment fields. Every statement is scoped by `client_id`.
 */
type Db = Pick<Sql, 'query'>;

export interface BookingRow {
  id: string;
  client_id: string;
  lead_id: string | null;
  conversation_id: string | null;
  request_key: string;
  calendar_uid: string | null;
  event_type_id: number;
  service: string | null;
  starts_at: Date | string;
  ends_at: Date | string | null;
  status: BookingStatus;
  created_by: 'lead' | 'staff' | 'calendar';
  language: string | null;
  created_at: Date | string;
}

export interface OfferRow {
  id: string;
  client_id: string;
  conversation_id: string;
  lead_id: string | null;
  booking_id: string | null;
  service: string | null;
  event_type_id: number;
  slots: BookingSlot[] | string;
  language: string;
  status: 'open' | 'used' | 'closed';
  created_at: Date | string;
}

const iso = (v: Date | string) => new Date(v).toISOString();

export function bookingRowToDto(row: BookingRow): BookingDto {
  return {
    id: row.id,
    leadId: row.lead_id,
    conversationId: row.conversation_id,
    service: row.service,
    eventTypeId: Number(row.event_type_id),
    startsAt: iso(row.starts_at),
    endsAt: row.ends_at ? iso(row.ends_at) : null,
    status: row.status,
    calendarUid: row.calendar_uid,
    createdBy: row.created_by,
    createdAt: iso(row.created_at),
  };
}

export const offerSlots = (row: OfferRow): BookingSlot[] =>
  typeof row.slots === 'string' ? JSON.parse(row.slots) : row.slots;

/** Inserts a pending booking for a request key; null when that key already has one (the request was made). */
export async function insertPendingBooking(
  db: Db,
  input: {
    id: string;
    clientId: string;
    leadId: string | null;
    conversationId: string | null;
    requestKey: string;
    eventTypeId: number;
    service: string | null;
    startsAt: string;
    endsAt: string | null;
    createdBy: BookingRow['created_by'];
    language: string | null;
    status?: BookingStatus;
    calendarUid?: string | null;
  },
): Promise<BookingRow | null> {
  const rows = await db.query<BookingRow[]>(
    `insert into bookings (id, client_id, lead_id, conversation_id, request_key, calendar_uid, event_type_id, service,
       starts_at, ends_at, status, created_by, language)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (client_id, request_key) do nothing
     returning *`,
    [
      input.id,
      input.clientId,
      input.leadId,
      input.conversationId,
      input.requestKey,
      input.calendarUid ?? null,
      input.eventTypeId,
      input.service,
      input.startsAt,
      input.endsAt,
      input.status ?? 'pending',
      input.createdBy,
      input.language,
    ],
  );
  return rows[0] ?? null;
}

export async function findBooking(db: Db, clientId: string, id: string, lock = false): Promise<BookingRow | null> {
  const rows = await db.query<BookingRow[]>(
    `select * from bookings where client_id = ? and id = ?${lock ? ' for update' : ''}`,
    [clientId, id],
  );
  return rows[0] ?? null;
}

export async function findBookingByKey(db: Db, clientId: string, requestKey: string): Promise<BookingRow | null> {
  const rows = await db.query<BookingRow[]>('select * from bookings where client_id = ? and request_key = ?', [
    clientId,
    requestKey,
  ]);
  return rows[0] ?? null;
}

/** By the calendar's uid (current or, for a reschedule, the one it replaced) or our own id in its metadata. */
export async function findBookingForCalendar(
  db: Db,
  clientId: string,
  uids: string[],
  ourId: string | undefined,
): Promise<BookingRow | null> {
  const rows = await db.query<BookingRow[]>(
    `select * from bookings where client_id = ? and (calendar_uid = any(?) or id::text = ?) order by created_at limit 1 for update`,
    [clientId, uids, ourId ?? ''],
  );
  return rows[0] ?? null;
}

export async function updateBooking(
  db: Db,
  clientId: string,
  id: string,
  set: Partial<Pick<BookingRow, 'status' | 'calendar_uid'>> & { startsAt?: string; endsAt?: string | null },
  onlyIf?: BookingStatus,
): Promise<BookingRow | null> {
  const sets: string[] = ['updated_at = now()'];
  const params: unknown[] = [];
  if (set.status) {
    sets.push('status = ?');
    params.push(set.status);
  }
  if (set.calendar_uid !== undefined) {
    sets.push('calendar_uid = ?');
    params.push(set.calendar_uid);
  }
  if (set.startsAt) {
    sets.push('starts_at = ?');
    params.push(set.startsAt);
  }
  if (set.endsAt !== undefined) {
    sets.push('ends_at = ?');
    params.push(set.endsAt);
  }
  const rows = await db.query<BookingRow[]>(
    `update bookings set ${sets.join(', ')} where client_id = ? and id = ?${onlyIf ? ' and status = ?' : ''} returning *`,
    [...params, clientId, id, ...(onlyIf ? [onlyIf] : [])],
  );
  return rows[0] ?? null;
}

export async function listLeadBookings(db: Db, clientId: string, leadId: string): Promise<BookingRow[]> {
  return db.query<BookingRow[]>(
    `select * from bookings where client_id = ? and lead_id = ? and status <> 'failed' order by starts_at desc limit 50`,
    [clientId, leadId],
  );
}

/** The lead's next booked appointment (the one "move it" or "cancel it" means). */
export async function upcomingBooking(db: Db, clientId: string, leadId: string, now: Date): Promise<BookingRow | null> {
  const rows = await db.query<BookingRow[]>(
    `select * from bookings where client_id = ? and lead_id = ? and status = 'booked' and starts_at > ?
     order by starts_at limit 1`,
    [clientId, leadId, now.toISOString()],
  );
  return rows[0] ?? null;
}

export async function insertOffer(
  db: Db,
  input: Omit<OfferRow, 'status' | 'created_at' | 'slots'> & { slots: BookingSlot[] },
): Promise<OfferRow> {
  // One open offer per conversation: a new one replaces the last.
  await db.query(
    `update booking_offers set status = 'closed' where client_id = ? and conversation_id = ? and status = 'open'`,
    [input.client_id, input.conversation_id],
  );
  const rows = await db.query<OfferRow[]>(
    `insert into booking_offers (id, client_id, conversation_id, lead_id, booking_id, service, event_type_id, slots, language)
     values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?) returning *`,
    [
      input.id,
      input.client_id,
      input.conversation_id,
      input.lead_id,
      input.booking_id,
      input.service,
      input.event_type_id,
      JSON.stringify(input.slots),
      input.language,
    ],
  );
  return rows[0] as OfferRow;
}

export async function findOffer(db: Db, clientId: string, conversationId: string, id: string) {
  const rows = await db.query<OfferRow[]>(
    'select * from booking_offers where client_id = ? and conversation_id = ? and id = ?',
    [clientId, conversationId, id],
  );
  return rows[0] ?? null;
}

export async function latestOpenOffer(db: Db, clientId: string, conversationId: string): Promise<OfferRow | null> {
  const rows = await db.query<OfferRow[]>(
    `select * from booking_offers where client_id = ? and conversation_id = ? and status = 'open'
     order by created_at desc limit 1`,
    [clientId, conversationId],
  );
  return rows[0] ?? null;
}

/** Takes an open offer for this choice: exactly one caller wins it. */
export async function claimOffer(db: Db, clientId: string, id: string): Promise<boolean> {
  const rows = await db.query<Array<{ id: string }>>(
    `update booking_offers set status = 'used' where client_id = ? and id = ? and status = 'open' returning id`,
    [clientId, id],
  );
  return rows.length === 1;
}

export async function closeOffer(db: Db, clientId: string, id: string): Promise<void> {
  await db.query(`update booking_offers set status = 'closed' where client_id = ? and id = ?`, [clientId, id]);
}

/**
 * The lead's appointment: booked → `appointment_booked` with the time
 * (a booking qualifies a lead, so a new or qualifying lead moves too);
 * cancelled → back to `qualified`, the time cleared. Returns the lead and its
 * previous status.
 */
export async function setLeadAppointment(
  db: Db,
  clientId: string,
  leadId: string,
  appointmentAt: string | null,
): Promise<{ lead: LeadDto; from: LeadStatus } | null> {
  const to: LeadStatus = appointmentAt ? 'appointment_booked' : 'qualified';
  const from = LEAD_STATUSES.filter((s) => s !== to && (canTransitionLead(s, to) || (appointmentAt && s === 'new')));
  const rows = await db.query<Array<LeadRow & { old_status: LeadStatus }>>(
    `with old as (select status from leads where id = ? and client_id = ?)
     update leads set appointment_at = ?, updated_at = now(),
       status = case when status = any(?) and (? or status = 'appointment_booked') then ? else status end
     where id = ? and client_id = ?
     returning ${LEAD_COLUMNS}, (select status from old) as old_status`,
    [leadId, clientId, appointmentAt, from, Boolean(appointmentAt), to, leadId, clientId],
  );
  const row = rows[0];
  return row ? { lead: leadRowToDto(row), from: row.old_status } : null;
}
