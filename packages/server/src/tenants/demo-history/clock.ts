/**
 * Deterministic randomness and local time for the demo history: the same
 * seed gives the same history (tests and screenshots stay stable), and times
 * are chosen as a business in its own time zone lives them (opening hours,
 * evenings, weekends).
 */

/** mulberry32: a tiny, well-known 32-bit PRNG; plenty for picking demo minutes. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface LocalDate {
  year: number;
  month: number;
  day: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

const WEEKDAY_INDEX: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

function partsIn(timeZone: string, at: Date) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    weekday: 'short',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    hour: Number(get('hour')),
    minute: Number(get('minute')),
    second: Number(get('second')),
    weekday: WEEKDAY_INDEX[get('weekday')] ?? 0,
  };
}

/** The calendar day `daysAgo` days before `now`, in the time zone. */
export function localDay(timeZone: string, now: Date, daysAgo: number): LocalDate {
  const p = partsIn(timeZone, new Date(now.getTime() - daysAgo * 86_400_000));
  return { year: p.year, month: p.month, day: p.day, weekday: p.weekday };
}

/** The instant at which the wall clock of `timeZone` shows that day and time (DST-correct). */
export function zonedInstant(timeZone: string, day: LocalDate, hour: number, minute: number): Date {
  const wall = Date.UTC(day.year, day.month - 1, day.day, hour, minute);
  let guess = wall;
  // Two passes settle the offset even on the day it changes.
  for (let i = 0; i < 2; i++) {
    const p = partsIn(timeZone, new Date(guess));
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    guess += wall - shown;
  }
  return new Date(guess);
}

/** `YYYY-MM-DD` of an instant in the time zone (how the lead's timeline is stored). */
export function isoDay(timeZone: string, at: Date): string {
  const p = partsIn(timeZone, at);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}
