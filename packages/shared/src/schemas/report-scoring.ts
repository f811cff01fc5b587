import { z } from 'zod';
import { LEAD_TEMPERATURES } from '../enums.js';

/**
 * The lead scoring report and the conversion probability (issue 17), per
 * tenant and period in the tenant's time zone (the same query as
 * `GET /reports`). Every figure is defined in docs/reports.md ("Lead scoring
 * report", "Conversion probability").
 *
 * Design note: a tenant's conversion model is fitted on its own closed leads
 * only, and only once it has enough of them; until then every probability
 * the API gives is labelled `heuristic` (the lead score read as a chance),
 * never passed off as a fitted figure.
 */

const ymd = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

/** First-response-time buckets, in order (`never` = the lead's first conversation was never answered). */
export const RESPONSE_BUCKETS = [
  'under_1_min',
  '1_5_min',
  '5_30_min',
  '30_120_min',
  '2_24_h',
  'over_24_h',
  'never',
] as const;
export type ResponseBucket = (typeof RESPONSE_BUCKETS)[number];

/** Closed leads (won or lost, as they stand now) of one group, and the share won. */
export const outcomeCountsSchema = z.object({
  closed: z.number().int(),
  won: z.number().int(),
  lost: z.number().int(),
  /** won / closed, 0..1 (null without closed leads). */
  wonRate: z.number().nullable(),
});
export type OutcomeCounts = z.infer<typeof outcomeCountsSchema>;

/** Out-of-fold predictions in one band of predicted probability against what happened. */
export const reliabilityBinSchema = z.object({
  from: z.number(),
  to: z.number(),
  count: z.number().int(),
  meanPredicted: z.number().nullable(),
  observedRate: z.number().nullable(),
});

/** Thresholds a tenant must meet before a model is fitted (docs/reports.md). */
export const CONVERSION_MODEL_MINIMUMS = { closed: 30, won: 10, lost: 10 } as const;

/** The tenant's conversion model as stored, or why there is none. */
export const conversionModelStatusSchema = z.object({
  /** `model`: a fitted model is in use; `heuristic`: too few outcomes, the lead score stands in. */
  source: z.enum(['model', 'heuristic']),
  /** When the stored model was fitted (null: never fitted). */
  fittedAt: z.string().nullable(),
  /** Closed leads the last fit saw (whether or not it was enough). */
  trainingSize: z.number().int(),
  won: z.number().int(),
  lost: z.number().int(),
  minimums: z.object({ closed: z.number().int(), won: z.number().int(), lost: z.number().int() }),
  /** Feature names, in the order of `coefficients` (standardised features; the intercept apart). */
  features: z.array(z.string()),
  coefficients: z.array(z.number()),
  intercept: z.number().nullable(),
  /** L2 penalty (on standardised coefficients). */
  lambda: z.number().nullable(),
  /** Calibration on 5-fold cross-validated predictions (null without a model). */
  calibration: z
    .object({
      folds: z.number().int(),
      /** Mean squared error of the predicted probability (0 perfect, lower is better). */
      brier: z.number(),
      /** The Brier score of always predicting the training folds' won rate: the bar a model must beat. */
      baselineBrier: z.number(),
      /** Area under the ROC curve: the chance a won lead is ranked above a lost one (0.5 = chance). */
      auc: z.number().nullable(),
      bins: z.array(reliabilityBinSchema),
    })
    .nullable(),
  /** Why the heuristic stands in (null with a model). */
  reason: z.string().nullable(),
});
export type ConversionModelStatus = z.infer<typeof conversionModelStatusSchema>;

/** A lead's chance of being won: from the tenant's model, or its score labelled as a heuristic. */
export const conversionEstimateSchema = z.object({
  /** 0..1; heuristic: score / 100 (null for an unscored lead). */
  probability: z.number().nullable(),
  source: z.enum(['model', 'heuristic']),
  modelFittedAt: z.string().nullable(),
});
export type ConversionEstimate = z.infer<typeof conversionEstimateSchema>;

export const scoringReportSchema = z.object({
  timezone: z.string(),
  from: ymd,
  to: ymd,
  /** Leads created in the period (their status and temperature as they stand now). */
  summary: z.object({
    leads: z.number().int(),
    hot: z.number().int(),
    warm: z.number().int(),
    cold: z.number().int(),
    unscored: z.number().int(),
    qualified: z.number().int(),
    won: z.number().int(),
    lost: z.number().int(),
  }),
  /** Leads created each local week (Monday key; the first and last week hold only the period's days). */
  temperatureByWeek: z.array(
    z.object({
      weekStart: ymd,
      hot: z.number().int(),
      warm: z.number().int(),
      cold: z.number().int(),
      unscored: z.number().int(),
    }),
  ),
  /** Won rate of the period's closed leads by the first response time of their first conversation. */
  responseEffect: z.array(outcomeCountsSchema.extend({ bucket: z.enum(RESPONSE_BUCKETS) })),
  /** Won rate of the period's closed leads by their temperature as it stands now. */
  byTemperature: z.array(outcomeCountsSchema.extend({ temperature: z.enum(LEAD_TEMPERATURES) })),
  model: conversionModelStatusSchema,
});
export type ScoringReportDto = z.infer<typeof scoringReportSchema>;
