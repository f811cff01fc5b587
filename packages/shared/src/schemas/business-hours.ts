import { z } from 'zod';
import { CONTENT_LANGUAGES, WEEKDAYS } from '../enums.js';

/**
 * Business-hours intelligence (issue 14): what applies outside the weekly
 * opening periods (`clientConfig.businessHours`), stored beside them as
 * `clientConfig.hours`. Holidays and closures are local dates in the tenant's
 * time zone.
 *
 * Design note: the mode is one of four, in this order of precedence: a
 * holiday or closure day is `holiday` (unless its special hours are open now),
 * then `in_hours` inside an opening period, then `weekend` on a weekend day,
 * else `after_hours`. Rules filter on it, replies and the dashboard show it.
 */
export const HOURS_MODES = ['in_hours', 'after_hours', 'weekend', 'holiday'] as const;
export type HoursMode = (typeof HOURS_MODES)[number];

const ymd = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24-hour)');

export const holidaySchema = z.object({
  date: ymd,
  name: z.string().max(100).optional(),
  /** Special opening hours that day (e.g. 10:00-14:00); absent or empty: closed all day. */
  periods: z
    .array(z.object({ open: hhmm, close: hhmm }).refine((p) => p.open < p.close, 'open must be before close'))
    .default([]),
});
export type Holiday = z.infer<typeof holidaySchema>;

/** Closed from `from` to `to`, both included (a summer closure, a refurbishment). */
export const closureSchema = z
  .object({ from: ymd, to: ymd, name: z.string().max(100).optional() })
  .refine((c) => c.from <= c.to, { message: 'from must not be after to' });
export type Closure = z.infer<typeof closureSchema>;

/** What happens to a message that arrives while closed. */
export const hoursFlowSchema = z.object({
  /** The reply says when someone will call back ("someone will call you at 9:00 tomorrow"). */
  promiseCallback: z.boolean().default(true),
  /** A call-back task is created for the next opening time. */
  callbackTask: z.boolean().default(true),
  /**
   * The promise in the tenant's words, per language; `{time}` and `{day}` are
   * filled in ("tomorrow", "on Monday"). Built-in phrasing where absent.
   */
  message: z.partialRecord(z.enum(CONTENT_LANGUAGES), z.string().min(1).max(300)).default({}),
});
export type HoursFlow = z.infer<typeof hoursFlowSchema>;

const flowDefault = { promiseCallback: true, callbackTask: true, message: {} };

export const hoursPolicySchema = z.object({
  /** Closed days that count as the weekend (their own flow). */
  weekendDays: z.array(z.enum(WEEKDAYS)).max(7).default(['sat', 'sun']),
  holidays: z.array(holidaySchema).max(200).default([]),
  closures: z.array(closureSchema).max(50).default([]),
  afterHours: hoursFlowSchema.default(flowDefault),
  /** The weekend flow, configured separately (e.g. no call-back task on Sundays). */
  weekend: hoursFlowSchema.default(flowDefault),
  holiday: hoursFlowSchema.default(flowDefault),
});
export type HoursPolicy = z.infer<typeof hoursPolicySchema>;
export type HoursPolicyInput = z.input<typeof hoursPolicySchema>;

/** A promise to call back, due at the next opening time. */
export const callbackTaskSchema = z.object({
  id: z.string().uuid(),
  conversationId: z.string().uuid(),
  leadId: z.string().uuid().nullable(),
  /** The mode the message arrived in. */
  mode: z.enum(HOURS_MODES),
  dueAt: z.string(),
  status: z.enum(['open', 'done']),
  createdAt: z.string(),
  /** When it was marked done, and by which staff user (null for a tenant API key). */
  doneAt: z.string().nullable().optional(),
  doneBy: z.string().uuid().nullable().optional(),
});
export type CallbackTaskDto = z.infer<typeof callbackTaskSchema>;

/** `GET /automation/hours`: the mode now and the next opening. */
export const hoursStatusSchema = z.object({
  mode: z.enum(HOURS_MODES),
  open: z.boolean(),
  timezone: z.string(),
  nextOpenAt: z.string().nullable(),
});
export type HoursStatusDto = z.infer<typeof hoursStatusSchema>;
