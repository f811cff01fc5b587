import {
  type BusinessHours,
  type HoursMode,
  type HoursPolicy,
  type HoursPolicyInput,
  hoursPolicySchema,
} from '@leaddesk/shared';
import { addDays, localParts, safeZone, toMinutes, weekdayOf, zonedToUtc } from './zoned-time.js';

/**
 * When the business is open, from its weekly periods (several a day),
 * holidays, closures and time zone. Pure: the caller passes `now` (the
 * injected clock), so tests move time across a daylight-saving change.
 */
export interface Schedule {
  timezone: string;
  weekly: BusinessHours;
  policy: HoursPolicy;
}

export interface HoursState {
  mode: HoursMode;
  open: boolean;
  /** The next opening after `now` (null when nothing opens within a year). */
  nextOpenAt: Date | null;
  /** When the current period closes (open only). */
  closesAt: Date | null;
}

/** How far ahead an opening is looked for: a closure can be long, but not longer than this. */
const SEARCH_DAYS = 400;

export function scheduleOf(client: {
  timezone: string;
  config: { businessHours: BusinessHours; hours?: HoursPolicyInput | HoursPolicy };
}): Schedule {
  return {
    timezone: safeZone(client.timezone),
    weekly: client.config.businessHours,
    policy: hoursPolicySchema.parse(client.config.hours ?? {}),
  };
}

/** The day's opening periods (local HH:MM) and whether it is a holiday or closure day. */
export function periodsOn(
  schedule: Schedule,
  date: string,
): { periods: Array<{ open: string; close: string }>; holiday: boolean } {
  const { policy } = schedule;
  if (policy.closures.some((c) => c.from <= date && date <= c.to)) return { periods: [], holiday: true };
  const holiday = policy.holidays.find((h) => h.date === date);
  if (holiday) return { periods: holiday.periods, holiday: true };
  return { periods: schedule.weekly[weekdayOf(date)] ?? [], holiday: false };
}

/**
 * Whether the business is open at `at` (weekly periods, holidays, closures):
 * `hoursState(...).open` without the search for the next opening, for reports
 * that classify thousands of moments.
 */
export function isOpenAt(schedule: Schedule, at: Date): boolean {
  const local = localParts(schedule.timezone, at);
  return periodsOn(schedule, local.date).periods.some(
    (p) => toMinutes(p.open) <= local.minutes && local.minutes < toMinutes(p.close),
  );
}

export function hoursState(schedule: Schedule, now: Date): HoursState {
  const local = localParts(schedule.timezone, now);
  const today = periodsOn(schedule, local.date);
  const current = today.periods.find((p) => toMinutes(p.open) <= local.minutes && local.minutes < toMinutes(p.close));
  const nextOpenAt = nextOpening(schedule, now);
  if (current) {
    return {
      mode: 'in_hours',
      open: true,
      nextOpenAt,
      closesAt: zonedToUtc(schedule.timezone, local.date, current.close),
    };
  }
  const mode: HoursMode = today.holiday
    ? 'holiday'
    : schedule.policy.weekendDays.includes(local.weekday)
      ? 'weekend'
      : 'after_hours';
  return { mode, open: false, nextOpenAt, closesAt: null };
}

/** The first period start strictly after `now`. */
export function nextOpening(schedule: Schedule, now: Date): Date | null {
  const start = localParts(schedule.timezone, now).date;
  for (let i = 0; i < SEARCH_DAYS; i++) {
    const date = addDays(start, i);
    const opens = periodsOn(schedule, date)
      .periods.map((p) => zonedToUtc(schedule.timezone, date, p.open))
      .filter((at) => at.getTime() > now.getTime())
      .sort((a, b) => a.getTime() - b.getTime());
    if (opens[0]) return opens[0];
  }
  return null;
}

/**
 * The instant `minutes` of opening time after `from`: a timer "5 minutes in
 * business hours" started at 17:58 on a Friday ends at 09:03 on Monday.
 */
export function addBusinessMinutes(schedule: Schedule, from: Date, minutes: number): Date {
  let left = minutes * 60_000;
  let cursor = from.getTime();
  const startDate = localParts(schedule.timezone, from).date;
  for (let i = 0; i < SEARCH_DAYS && left > 0; i++) {
    const date = addDays(startDate, i);
    const periods = periodsOn(schedule, date).periods.map((p) => ({
      open: zonedToUtc(schedule.timezone, date, p.open).getTime(),
      close: zonedToUtc(schedule.timezone, date, p.close).getTime(),
    }));
    for (const p of periods.sort((a, b) => a.open - b.open)) {
      if (p.close <= cursor) continue;
      const begin = Math.max(cursor, p.open);
      const available = p.close - begin;
      if (available >= left) return new Date(begin + left);
      left -= available;
      cursor = p.close;
    }
  }
  // Never open within the search window: plain minutes rather than never.
  return new Date(from.getTime() + minutes * 60_000);
}
