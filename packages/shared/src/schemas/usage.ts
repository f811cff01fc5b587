import { z } from 'zod';
import { PLANS } from '../enums.js';

/** `GET /api/v1/usage`: the calling tenant's AI usage this month and its budget step. */
export const BUDGET_STEPS = ['normal', 'soft', 'exhausted'] as const;
export type BudgetStepName = (typeof BUDGET_STEPS)[number];

export const usageQuerySchema = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM')
    .optional(),
});

export const usageResponseSchema = z.object({
  month: z.string(),
  plan: z.enum(PLANS),
  budgetTokens: z.number().int(),
  usedTokens: z.number().int(),
  ratio: z.number(),
  softThreshold: z.number(),
  /** normal → full model; soft → shorter replies on the cheaper model; exhausted → structured mode. */
  step: z.enum(BUDGET_STEPS),
  /** When each step was reached this month (from the audit log). */
  steps: z.array(z.object({ step: z.enum(['soft', 'exhausted']), at: z.string(), usedTokens: z.number() })),
  /** Tokens per model and day. */
  daily: z.array(
    z.object({
      day: z.string(),
      model: z.string(),
      requests: z.number().int(),
      inputTokens: z.number().int(),
      outputTokens: z.number().int(),
      cacheReadTokens: z.number().int(),
      cacheWriteTokens: z.number().int(),
    }),
  ),
});
export type UsageResponse = z.infer<typeof usageResponseSchema>;

/** `GET /api/v1/experiments`: qualification and hot-lead rates per prompt variant. */
export const experimentStatsResponseSchema = z.object({
  variants: z.array(
    z.object({
      variant: z.string(),
      conversations: z.number().int(),
      qualified: z.number().int(),
      hotLeads: z.number().int(),
      qualificationRate: z.number(),
      hotLeadRate: z.number(),
    }),
  ),
});
export type ExperimentStatsResponse = z.infer<typeof experimentStatsResponseSchema>;
