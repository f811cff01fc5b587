import { z } from 'zod';

/**
 * The monthly report email (issue 17): on the 1st of each month, after
 * `sendHour` in the tenant's zone, last month's headline numbers to the staff
 * the tenant chose. Stored in `clientConfig.monthlyReport` (PATCH /client,
 * merge patch). No recipients: no email.
 */
export const monthlyReportSettingsSchema = z.object({
  /** Staff ids (users of this tenant) who receive it; unknown or disabled ones are skipped. */
  recipients: z.array(z.string().uuid('expected a staff id')).max(50).default([]),
  /** Local hour (0–23) on the 1st from which it goes out. */
  sendHour: z.number().int().min(0).max(23).default(8),
});
export type MonthlyReportSettings = z.infer<typeof monthlyReportSettingsSchema>;

/**
 * `PUT /reports/monthly-email`: the settings whole. The recipients are required and unknown fields refused, so a
 * malformed body is a 400 rather than a reset to no recipients.
 */
export const monthlyReportSettingsInputSchema = monthlyReportSettingsSchema
  .extend({ recipients: z.array(z.string().uuid('expected a staff id')).max(50) })
  .strict();
