import { WEEKDAYS, type Weekday } from '@leaddesk/shared';
import { localTime } from '../../ai/agent/business-hours.js';

/**
 * Wall-clock arithmetic in a tenant's time zone with Intl only (DST handled by
 * the zone data): quiet hours for SMS and the digest's local send time.
 */

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

function zoneOffsetMs(timezone: string, at: number): number {
  let f = offsetFormatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    offsetFormatters.set(timezone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** The local calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(timezone: string, at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: safeZone(timezone), dateStyle: 'short' }).format(at);
}

/** The instant a local date and time (HH:MM) names in a time zone (the later one in a DST gap). */
export function zonedInstant(timezone: string, date: string, hhmm: string): Date {
  const zone = safeZone(timezone);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = hhmm.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, h, mi);
  let at = wall - zoneOffsetMs(zone, wall);
  // Second pass: the offset at the guess may differ from the one at the answer (near a change).
  at = wall - zoneOffsetMs(zone, at);
  return new Date(at);
}

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The first instant after `after` when it is `hhmm` locally (on `weekday` when given). */
export function nextLocalTime(timezone: string, hhmm: string, after: Date, weekday?: Weekday): Date {
  const start = localDate(timezone, after);
  for (let i = 0; i < 9; i++) {
    const date = addDays(start, i);
    const at = zonedInstant(timezone, date, hhmm);
    if (at.getTime() <= after.getTime()) continue;
    if (weekday && localTime(safeZone(timezone), at).day !== weekday) continue;
    return at;
  }
  throw new Error('no next local time within 9 days');
}

/** Whether `at` falls in the quiet hours (a window that may span midnight, e.g. 21:00-08:00). */
export function inQuietHours(timezone: string, quiet: { start: string; end: string }, at: Date): boolean {
  const { time } = localTime(safeZone(timezone), at);
  if (quiet.start === quiet.end) return false;
  return quiet.start < quiet.end ? quiet.start <= time && time < quiet.end : time >= quiet.start || time < quiet.end;
}

/** When a message due at `at` may go out: `at` itself, or the end of the quiet hours. */
export function afterQuietHours(timezone: string, quiet: { start: string; end: string } | null, at: Date): Date {
  if (!quiet || !inQuietHours(timezone, quiet, at)) return at;
  return nextLocalTime(timezone, quiet.end, at);
}

export function weekdayOf(timezone: string, at: Date): Weekday {
  return localTime(safeZone(timezone), at).day;
}

function safeZone(timezone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    return timezone;
  } catch {
    return 'UTC';
  }
}

export { WEEKDAYS };
