import type { HeatMapCell, ReportInsightsDto } from '@leaddesk/shared';
import { localParts } from '../../automation/business-hours/index.js';
import type { Sql } from '../../db/sql.js';

type Query = Pick<Sql, 'query'>;

const ISO_WEEKDAY = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 } as const;

/**
 * When visitors want their appointments: each appointment's start in the
 * tenant's zone, by weekday and hour. Counted on the day the request was
 * made (the booking row's `created_at` in the period; `(client_id,
 * created_at)` index): every booking request is *requested* (pending, booked,
 * cancelled or failed: someone asked for that slot), those booked now are
 * also *booked*. A lead of the period with an appointment time and no
 * booking row (set by staff or the CRM) counts as requested and booked.
 */
export async function bookingRequestCells(
  sql: Query,
  clientId: string,
  timezone: string,
  window: { start: Date; end: Date },
): Promise<HeatMapCell[]> {
  const rows = await sql.query<Array<{ starts_at: Date; booked: boolean; n: number }>>(
    `select starts_at, status = 'booked' as booked, count(*)::int as n from bookings
       where client_id = ? and created_at >= ? and created_at < ? group by 1, 2
     union all
     select l.appointment_at, true, count(*)::int from leads l
       where l.client_id = ? and l.created_at >= ? and l.created_at < ? and l.appointment_at is not null
         and not exists (select 1 from bookings b where b.client_id = l.client_id and b.lead_id = l.id)
       group by 1`,
    [clientId, window.start, window.end, clientId, window.start, window.end],
  );
  const cells = new Map<number, HeatMapCell>();
  for (const r of rows) {
    const local = localParts(timezone, new Date(r.starts_at));
    const weekday = ISO_WEEKDAY[local.weekday];
    const hour = Math.floor(local.minutes / 60);
    const key = weekday * 24 + hour;
    const cell = cells.get(key) ?? { weekday, hour, requested: 0, booked: 0 };
    cell.requested += r.n;
    if (r.booked) cell.booked += r.n;
    cells.set(key, cell);
  }
  return [...cells.values()].sort((a, b) => a.weekday - b.weekday || a.hour - b.hour);
}

/** The heat map of the local days [from, to], summed from the daily rollup (`report_booking_daily`). */
export async function bookingHeatMap(
  sql: Query,
  clientId: string,
  days: { from: string; to: string },
): Promise<ReportInsightsDto['bookingHeatMap']> {
  const list = await sql.query<HeatMapCell[]>(
    `select weekday, hour, sum(requested)::int as requested, sum(booked)::int as booked
     from report_booking_daily where client_id = ? and day between ?::date and ?::date
     group by 1, 2 order by 1, 2`,
    [clientId, days.from, days.to],
  );
  const peak = list.reduce<HeatMapCell | null>((best, c) => (!best || c.requested > best.requested ? c : best), null);
  return {
    requested: list.reduce((s, c) => s + c.requested, 0),
    booked: list.reduce((s, c) => s + c.booked, 0),
    cells: list,
    peak,
  };
}
