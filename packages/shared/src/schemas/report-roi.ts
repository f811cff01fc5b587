import { z } from 'zod';
import { reportsQuerySchema } from './reports.js';

/**
 * The ROI report and the agency overview (issue 17): what Lead Desk brought a
 * tenant in a period (leads whose first answer came from the AI, valued with
 * the service values of the missed-revenue report) against what it cost (the
 * plan, prorated by days) and what the AI spent (tokens × the server's price
 * table). Every figure is defined in docs/reports.md.
 *
 * Design note: a price the server does not know is never read as 0: its
 * tokens are reported as unpriced, so an AI spend is either complete or says
 * what it is missing.
 */

const ymd = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** How a lead is credited to Lead Desk: the first answer in its first conversation came from the AI. */
export const ROI_ATTRIBUTION = 'first_answer_by_ai';

export const aiModelSpendSchema = z.object({
  model: z.string(),
  requests: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  cacheReadTokens: z.number().int(),
  cacheWriteTokens: z.number().int(),
  /** The price table's key that priced this model (an exact name or a prefix of a dated name); null: unpriced. */
  pricedAs: z.string().nullable(),
  /** In the price table's currency; null when the model has no price (its tokens are in `unpricedTokens`). */
  cost: z.number().nullable(),
});
export type AiModelSpend = z.infer<typeof aiModelSpendSchema>;

export const aiSpendSchema = z.object({
  /** The price table's currency (AI_PRICE_CURRENCY, default USD): the providers bill in it. */
  currency: z.string(),
  /** Sum over the priced models, rounded to 0.0001. */
  cost: z.number(),
  tokens: z.number().int(),
  /** Tokens of models the price table does not know: not in `cost`. */
  unpricedTokens: z.number().int(),
  unpricedModels: z.array(z.string()),
  byModel: z.array(aiModelSpendSchema),
});
export type AiSpendDto = z.infer<typeof aiSpendSchema>;

export const roiReportSchema = z.object({
  timezone: z.string(),
  from: ymd,
  to: ymd,
  /** Local days in the period (what the plan cost is prorated by). */
  days: z.number().int(),
  /** `config.reports.currency`: values and the plan cost. */
  currency: z.string(),
  /** "Lead Desk generated 12 qualified leads worth €9,300 this month". */
  headline: z.string(),
  attribution: z.literal(ROI_ATTRIBUTION),
  /** Every lead created in the period (the denominator). */
  inquiries: z.number().int(),
  /** Leads of the period with that outcome whose first answer came from the AI. */
  qualified: z.number().int(),
  booked: z.number().int(),
  won: z.number().int(),
  qualifiedValue: z.number(),
  bookedValue: z.number(),
  wonValue: z.number(),
  /** Attributed qualified leads whose service has no value (counted, valued 0). */
  qualifiedWithoutValue: z.number().int(),
  /** Every lead of the period with that outcome, attributed or not. */
  allQualified: z.number().int(),
  allBooked: z.number().int(),
  allWon: z.number().int(),
  /** `config.reports.planMonthlyCost`, null when not set. */
  planMonthlyCost: z.number().nullable(),
  /** The plan's cost prorated to the period's days, month by month (2 decimals). */
  planCost: z.number(),
  /** qualifiedValue ÷ planCost (2 decimals); null when the cost is 0. */
  roi: z.number().nullable(),
  aiSpend: aiSpendSchema,
  /** Attributed outcomes per local week (Monday); the first and last week hold only the period's days. */
  byWeek: z.array(
    z.object({
      weekStart: ymd,
      qualified: z.number().int(),
      booked: z.number().int(),
      won: z.number().int(),
      qualifiedValue: z.number(),
    }),
  ),
});
export type RoiReportDto = z.infer<typeof roiReportSchema>;

/** The agency overview's columns, each a `sort` key. */
export const OVERVIEW_SORTS = [
  'name',
  'leads',
  'hotLeads',
  'qualified',
  'booked',
  'won',
  'averageFirstResponseSeconds',
  'afterHoursInquiries',
  'attributedValue',
  'aiSpend',
  'planCost',
  'tokensUsed',
  'budgetUsed',
] as const;
export type OverviewSort = (typeof OVERVIEW_SORTS)[number];

/** The reports' period (each client's own zone) and the sort: `GET /admin/reports/overview`. */
export const overviewQuerySchema = reportsQuerySchema.safeExtend({
  sort: z.enum(OVERVIEW_SORTS).default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
});
export type OverviewQuery = z.infer<typeof overviewQuerySchema>;

export const overviewRowSchema = z.object({
  clientId: z.string(),
  name: z.string(),
  status: z.string(),
  timezone: z.string(),
  /** The client's own period: a named period ends today in its zone. */
  from: ymd,
  to: ymd,
  currency: z.string(),
  leads: z.number().int(),
  /** Leads of the period whose temperature is hot now. */
  hotLeads: z.number().int(),
  qualified: z.number().int(),
  booked: z.number().int(),
  won: z.number().int(),
  averageFirstResponseSeconds: z.number().nullable(),
  afterHoursInquiries: z.number().int(),
  /** The ROI report's qualifiedValue (attributed), in `currency`. */
  attributedValue: z.number(),
  /** In `aiSpendCurrency`; `unpricedTokens` are not in it. */
  aiSpend: z.number(),
  aiSpendCurrency: z.string(),
  unpricedTokens: z.number().int(),
  planCost: z.number(),
  /** The client's plan (issue 18: plans and limits visible per client) and this month's AI tokens against it. */
  plan: z.string(),
  tokensUsed: z.number().int(),
  tokenBudget: z.number().int(),
  /** tokensUsed / tokenBudget: 1 or more is an exhausted budget (structured replies only). */
  budgetUsed: z.number(),
});
export type OverviewRow = z.infer<typeof overviewRowSchema>;

export const overviewSchema = z.object({
  period: z.string().nullable(),
  sort: z.enum(OVERVIEW_SORTS),
  order: z.enum(['asc', 'desc']),
  rows: z.array(overviewRowSchema),
});
export type OverviewDto = z.infer<typeof overviewSchema>;
