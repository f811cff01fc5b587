/**
 * Calendar days without a time zone (year, month 1-12, day), and the day it
 * is in the tenant's zone when a message arrives: "tomorrow" is the tenant's
 * tomorrow, whatever zone the server runs in.
 */
export interface Day {
  y: number;
  m: number;
  d: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-CA', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        hourCycle: 'h23',
      });
    } catch {
      // An unknown zone name: read the day in UTC rather than fail the message.
      f = formatter('UTC');
    }
    formatters.set(timeZone, f);
  }
  return f;
}

let last: { key: string; day: Day & { hour: number } } | undefined;

/** The calendar day and hour at `now` in `timeZone` (the last answer is kept: it is asked several times per message). */
export function localDay(now: Date, timeZone: string): Day & { hour: number } {
  const key = `${timeZone}|${Math.floor(now.getTime() / 60_000)}`;
  if (last?.key === key) return last.day;
  const day = computeLocalDay(now, timeZone);
  last = { key, day };
  return day;
}

function computeLocalDay(now: Date, timeZone: string): Day & { hour: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(now)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return { y: parts.year ?? 1970, m: parts.month ?? 1, d: parts.day ?? 1, hour: (parts.hour ?? 0) % 24 };
}

function toUtc(day: Day): Date {
  return new Date(Date.UTC(day.y, day.m - 1, day.d));
}

function fromUtc(date: Date): Day {
  return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() };
}

export function addDays(day: Day, n: number): Day {
  const date = toUtc(day);
  date.setUTCDate(date.getUTCDate() + n);
  return fromUtc(date);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(day: Day): number {
  return toUtc(day).getUTCDay();
}

export function compareDays(a: Day, b: Day): number {
  return a.y - b.y || a.m - b.m || a.d - b.d;
}

export function daysBetween(a: Day, b: Day): number {
  return Math.round((toUtc(b).getTime() - toUtc(a).getTime()) / 86_400_000);
}

export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function isValidDay(day: Day): boolean {
  return day.m >= 1 && day.m <= 12 && day.d >= 1 && day.d <= daysInMonth(day.y, day.m);
}

export function isoDay(day: Day): string {
  return `${day.y}-${String(day.m).padStart(2, '0')}-${String(day.d).padStart(2, '0')}`;
}

/** Easter Sunday (Gregorian, anonymous algorithm). */
export function easter(y: number): Day {
  const a = y % 19;
  const b = Math.floor(y / 100);
  const c = y % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return { y, m: month, d: day };
}
