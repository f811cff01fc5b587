import type { BookingSlot } from '@leaddesk/shared';
import { localParts, safeZone } from '../automation/business-hours/zoned-time.js';
import { type PartOfDay, understand } from '../understanding/index.js';

/**
 * The time a lead asked for ("Thursday afternoon", "el 5 de diciembre a las
 * 11"), as the AI recorded it in its booking tool call: read with the same
 * date reader as every message, in the tenant's time zone, so the slots
 * offered start there instead of at the next free hour.
 */
export interface RequestedTime {
  /** YYYY-MM-DD in the tenant's time zone. */
  day: string;
  /** HH:MM in the tenant's time zone: the time asked for, else the start of the part of the day. */
  time: string;
}

const PART_OF_DAY_STARTS: Record<PartOfDay, string> = {
  morning: '00:00',
  afternoon: '12:00',
  evening: '17:00',
  night: '20:00',
};

/** Null when the words name no date this reader understands. */
export function readRequestedTime(
  text: string | undefined,
  context: { now: Date; timeZone: string; language?: string },
): RequestedTime | null {
  const words = text?.trim();
  if (!words) return null;
  const date = understand({
    text: words,
    now: context.now,
    timeZone: context.timeZone,
    knownLanguage: context.language,
    services: [],
  }).date;
  if (!date) return null;
  return { day: date.start, time: date.time ?? (date.partOfDay ? PART_OF_DAY_STARTS[date.partOfDay] : '00:00') };
}

/**
 * The free slots from the requested time on; all of them when none is that
 * late (the lead still gets the nearest free times rather than none).
 */
export function fromRequestedTime<T extends BookingSlot>(
  slots: T[],
  requested: RequestedTime | null | undefined,
  timeZone: string,
): T[] {
  if (!requested) return slots;
  const wanted = `${requested.day}T${requested.time}`;
  const later = slots.filter((s) => localMinute(s.start, timeZone) >= wanted);
  return later.length ? later : slots;
}

/** "YYYY-MM-DDTHH:MM" of an instant in a time zone (comparable as a string). */
function localMinute(iso: string, timeZone: string): string {
  const local = localParts(safeZone(timeZone), new Date(iso));
  return `${local.date}T${local.time}`;
}
