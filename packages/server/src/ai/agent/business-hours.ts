import { type BusinessHours, WEEKDAYS, type Weekday } from '@leaddesk/shared';

const WEEKDAY_BY_SHORT: Record<string, Weekday> = {
  Mon: 'mon',
  Tue: 'tue',
  Wed: 'wed',
  Thu: 'thu',
  Fri: 'fri',
  Sat: 'sat',
  Sun: 'sun',
};

// Building an Intl formatter costs about a millisecond; one per time zone is kept.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone: timezone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timezone, formatter);
  }
  return formatter;
}

/** Weekday and HH:MM now in the tenant's time zone (Intl, so DST is right). */
export function localTime(timezone: string, now: Date = new Date()): { day: Weekday; time: string } {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = formatterFor(timezone).formatToParts(now);
  } catch {
    return timezone === 'UTC' ? { day: 'mon', time: '00:00' } : localTime('UTC', now);
  }
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { day: WEEKDAY_BY_SHORT[get('weekday')] ?? 'mon', time: `${get('hour')}:${get('minute')}` };
}

/** Open now: inside any of today's periods (several per day), in the tenant's zone. */
export function isOpenNow(hours: BusinessHours, timezone: string, now: Date = new Date()): boolean {
  const { day, time } = localTime(timezone, now);
  return (hours[day] ?? []).some((p) => p.open <= time && time < p.close);
}

/** "mon 09:00-13:00, 14:00-18:00; sat closed" for the prompt. */
export function describeHours(hours: BusinessHours): string {
  return WEEKDAYS.map((d) => {
    const periods = hours[d] ?? [];
    return `${d} ${periods.length ? periods.map((p) => `${p.open}-${p.close}`).join(', ') : 'closed'}`;
  }).join('; ');
}
