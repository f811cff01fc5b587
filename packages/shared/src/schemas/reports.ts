import { z } from 'zod';

/**
 * Reports that prove the value (issue 17): the response-time SLA report and
 * the missed-revenue report, per tenant and period in the tenant's time zone.
 * Every figure is defined in docs/reports.md.
 *
 * Design note: the server reads both from a daily rollup (one row per tenant,
 * local day and group), never from the raw messages, so a report costs the
 * same for a tenant with a million messages as for one with ten. Percentiles
 * come from per-day histograms: within 2 % of the exact value (0.02 s below 1 s).
 */

export const RESPONSE_METRICS = [
  'first_response',
  'first_response_ai',
  'first_response_human',
  'takeover',
  'staff_reply',
] as const;
export type ResponseMetric = (typeof RESPONSE_METRICS)[number];

/** The tenant's targets and currency, stored in `clientConfig.reports` (PATCH /client, merge patch). */
export const reportSettingsSchema = z.object({
  /** Target for the first response to a lead's first message (AI or staff), seconds. */
  firstResponseSeconds: z.number().int().min(1).max(86_400).default(60),
  /** Target from an escalation to a staff member taking the conversation over, seconds. */
  takeoverSeconds: z.number().int().min(1).max(604_800).default(900),
  /** Target for a staff reply to a visitor's message, seconds. */
  staffReplySeconds: z.number().int().min(1).max(604_800).default(900),
  /** ISO 4217 code the service values are in. */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as EUR')
    .default('EUR'),
  /**
   * Publish the average first response time of the last 30 days for the tenant's own site
   * (`GET /widget/response-time?siteKey=`, public like the widget's config). Off unless the tenant says so.
   */
  publishResponseTime: z.boolean().default(false),
  /** What the tenant pays for Lead Desk per month, in `currency`: the ROI report's cost (docs/reports.md). */
  planMonthlyCost: z.number().min(0).max(10_000_000).optional(),
});
export type ReportSettings = z.infer<typeof reportSettingsSchema>;

/** A service's average deal value, keyed by the service's name (matched without case). */
export const serviceValuesSchema = z.record(z.string().min(1).max(200), z.number().min(0).max(10_000_000));

const ymd = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

export const REPORT_PERIODS = ['last_7_days', 'last_30_days', 'this_month', 'last_month', 'last_90_days'] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];

/** A named period (in the tenant's zone, ending today), or explicit local dates `from`..`to` (both included). */
export const reportsQuerySchema = z
  .object({
    period: z.enum(REPORT_PERIODS).default('last_30_days'),
    from: ymd.optional(),
    to: ymd.optional(),
  })
  .refine((q) => (q.from === undefined) === (q.to === undefined), {
    message: 'from and to go together',
    path: ['from'],
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
  .refine(
    (q) => !q.from || !q.to || Date.parse(`${q.to}T00:00:00Z`) - Date.parse(`${q.from}T00:00:00Z`) < 366 * 86_400_000,
    { message: 'a report covers at most 366 days', path: ['to'] },
  );
export type ReportsQuery = z.infer<typeof reportsQuerySchema>;

/** Count, average and percentiles of one group of response times (seconds; null when empty). */
export const responseStatSchema = z.object({
  count: z.number().int(),
  averageSeconds: z.number().nullable(),
  p50Seconds: z.number().nullable(),
  p90Seconds: z.number().nullable(),
});
export type ResponseStat = z.infer<typeof responseStatSchema>;

export const responseMetricReportSchema = z.object({
  metric: z.enum(RESPONSE_METRICS),
  targetSeconds: z.number(),
  all: responseStatSchema,
  inHours: responseStatSchema,
  outOfHours: responseStatSchema,
  /** p90 at or under the target (null without samples). */
  meetsTarget: z.boolean().nullable(),
  byChannel: z.array(
    z.object({
      channel: z.string(),
      all: responseStatSchema,
      inHours: responseStatSchema,
      outOfHours: responseStatSchema,
      meetsTarget: z.boolean().nullable(),
    }),
  ),
});
export type ResponseMetricReport = z.infer<typeof responseMetricReportSchema>;

export const missedRevenueWeekSchema = z.object({
  /** The local Monday the week starts on (the period may cut the first and last week). */
  weekStart: ymd,
  inquiries: z.number().int(),
  qualified: z.number().int(),
  booked: z.number().int(),
  won: z.number().int(),
  qualifiedValue: z.number(),
});

export const reportsSchema = z.object({
  timezone: z.string(),
  from: ymd,
  to: ymd,
  responseTimes: z.object({
    /** "Average response time: 7 s" (first response, AI or staff). */
    headline: z.string(),
    averageSeconds: z.number().nullable(),
    metrics: z.array(responseMetricReportSchema),
  }),
  missedRevenue: z.object({
    /** "You had 47 after-hours inquiries in this period; 12 qualified, worth €3,600". */
    headline: z.string(),
    currency: z.string(),
    inquiries: z.number().int(),
    afterHoursInquiries: z.number().int(),
    qualified: z.number().int(),
    booked: z.number().int(),
    won: z.number().int(),
    qualifiedValue: z.number(),
    bookedValue: z.number(),
    wonValue: z.number(),
    /** Qualified after-hours inquiries whose service has no value set (counted, valued 0). */
    qualifiedWithoutValue: z.number().int(),
    byWeek: z.array(missedRevenueWeekSchema),
  }),
  /** When the rollup was brought up to date for this answer. */
  refreshedAt: z.string(),
});
export type ReportsDto = z.infer<typeof reportsSchema>;

/** `GET /widget/response-time`: the published headline, for a badge on the tenant's site. */
export const publicResponseTimeSchema = z.object({
  headline: z.string(),
  averageSeconds: z.number().nullable(),
  /** First responses counted. */
  count: z.number().int(),
  /** Local dates the average covers (the last 30 days in the tenant's zone). */
  from: z.string(),
  to: z.string(),
});
export type PublicResponseTimeDto = z.infer<typeof publicResponseTimeSchema>;
