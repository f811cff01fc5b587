import type { Weekday } from '@leaddesk/shared';

/**
 * Wall-clock time in an IANA time zone, with Intl only (no date library is in
 * the dependencies): Intl knows every zone's daylight-saving rules, so a local
 * 09:00 maps to the right instant on both sides of a clock change.
 */
export interface LocalParts {
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM */
  time: string;
  weekday: Weekday;
  /** Minutes since local midnight. */
  minutes: number;
}

const WEEKDAY_BY_INDEX: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** A zone Intl does not know falls back to UTC rather than failing a reply. */
export function safeZone(timeZone: string): string {
  try {
    formatter(timeZone);
    return timeZone;
  } catch {
    return 'UTC';
  }
}

function fields(timeZone: string, at: Date): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const parts = formatter(timeZone).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { y: get('year'), mo: get('month'), d: get('day'), h: get('hour') % 24, mi: get('minute'), s: get('second') };
}

export function localParts(timeZone: string, at: Date): LocalParts {
  const { y, mo, d, h, mi } = fields(timeZone, at);
  const date = `${y}-${pad(mo)}-${pad(d)}`;
  return { date, time: `${pad(h)}:${pad(mi)}`, weekday: weekdayOf(date), minutes: h * 60 + mi };
}

/** The zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
function offsetAt(timeZone: string, at: number): number {
  const { y, mo, d, h, mi, s } = fields(timeZone, new Date(at));
  return Date.UTC(y, mo - 1, d, h, mi, s) - Math.floor(at / 1000) * 1000;
}

/**
 * The instant a local date and time names in the zone. In the hour skipped
 * when clocks go forward, the time is read with the offset before the change
 * (02:30 becomes 03:30); in the hour repeated when they go back, the second.
 */
export function zonedToUtc(timeZone: string, date: string, time: string): Date {
  const [y = 0, mo = 1, d = 1] = date.split('-').map(Number);
  const [h = 0, mi = 0] = time.split(':').map(Number);
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  const first = offsetAt(timeZone, wall - offsetAt(timeZone, wall));
  const guess = wall - first;
  const second = offsetAt(timeZone, guess);
  return new Date(second === first ? guess : Math.max(guess, wall - second));
}

export function addDays(date: string, days: number): string {
  const [y = 0, mo = 1, d = 1] = date.split('-').map(Number);
  return new Date(Date.UTC(y, mo - 1, d + days)).toISOString().slice(0, 10);
}

export function weekdayOf(date: string): Weekday {
  const [y = 0, mo = 1, d = 1] = date.split('-').map(Number);
  return WEEKDAY_BY_INDEX[new Date(Date.UTC(y, mo - 1, d)).getUTCDay()] ?? 'mon';
}

export function toMinutes(hhmm: string): number {
  const [h = 0, m = 0] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** The instant as ISO 8601 local time with the zone's offset (2026-03-29T03:30:00+02:00): local and unambiguous. */
export function localIso(timeZone: string, at: Date): string {
  const { y, mo, d, h, mi, s } = fields(timeZone, at);
  const offsetMinutes = Math.round(offsetAt(timeZone, at.getTime()) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
