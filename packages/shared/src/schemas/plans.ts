import { z } from 'zod';
import { CHANNELS, PLAN_CHANNELS, PLANS } from '../enums.js';

/**
 * `GET /api/v1/plan`: what the calling tenant's plan includes and what it
 * uses of it. Limits come from the operator's configuration (PLAN_* env), so
 * an agency defines its own tiers; `null` seats means unlimited.
 */
export const planViewSchema = z.object({
  plan: z.enum(PLANS),
  limits: z.object({
    seats: z.number().int().nullable(),
    /** Every channel the tenant may use: web chat, web forms and email, and the provider channels of its plan. */
    channels: z.array(z.enum(CHANNELS)),
    monthlyTokens: z.number().int(),
    requestsPerMinute: z.number().int(),
  }),
  usage: z.object({
    /** Staff accounts that hold a seat: enabled members and pending invitations. */
    seats: z.number().int(),
    /** Provider channels connected with the tenant's own credentials. */
    channels: z.array(z.enum(PLAN_CHANNELS)),
    monthlyTokens: z.number().int(),
  }),
});
export type PlanView = z.infer<typeof planViewSchema>;
