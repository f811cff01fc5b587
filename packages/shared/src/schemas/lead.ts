import { z } from 'zod';
import { CHANNELS, LEAD_TEMPERATURES } from '../enums.js';
import { LEAD_STATUSES } from '../lead-status.js';
import { paginationQuerySchema } from './common.js';
import { conversionEstimateSchema } from './report-scoring.js';

export const qualificationSchema = z.object({
  serviceInterest: z.string().max(500).optional(),
  urgency: z.enum(['low', 'medium', 'high']).optional(),
  budgetRange: z.string().max(200).optional(),
  location: z.string().max(200).optional(),
  decisionMaker: z.boolean().optional(),
  timeline: z.string().max(200).optional(),
  custom: z.record(z.string(), z.string().max(1000)).default({}),
});
export type Qualification = z.infer<typeof qualificationSchema>;

export const scoreEvidenceSchema = z.array(z.object({ reason: z.string(), points: z.number() }));
export type ScoreEvidence = z.infer<typeof scoreEvidenceSchema>;

export const leadSchema = z.object({
  id: z.string().uuid(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  language: z.string().nullable(),
  source: z.enum(CHANNELS),
  qualification: qualificationSchema,
  score: z.number().int().min(0).max(100).nullable(),
  temperature: z.enum(LEAD_TEMPERATURES),
  scoreEvidence: scoreEvidenceSchema,
  status: z.enum(LEAD_STATUSES),
  appointmentAt: z.string().nullable(),
  assigneeId: z.string().uuid().nullable(),
  crmId: z.string().nullable(),
  /**
   * Tags added by rules or staff, sorted. Carried by the REST representation;
   * absent from events and older payloads, so consumers read it as optional.
   */
  tags: z.array(z.string()).optional(),
  /** The chance it is won (`GET /leads/:id` only): the tenant's model, or the score labelled heuristic. */
  conversion: conversionEstimateSchema.optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type LeadDto = z.infer<typeof leadSchema>;

export const listLeadsQuerySchema = paginationQuerySchema.extend({
  status: z.enum(LEAD_STATUSES).optional(),
  temperature: z.enum(LEAD_TEMPERATURES).optional(),
  source: z.enum(CHANNELS).optional(),
  q: z.string().max(200).optional(),
  /** Created on or after this day (YYYY-MM-DD, UTC). */
  from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
    .optional(),
  /** Created on or before this day (YYYY-MM-DD, UTC). */
  to: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
    .optional(),
  minScore: z.coerce.number().int().min(0).max(100).optional(),
  /** Only leads carrying this tag (exact match). */
  tag: z.string().trim().min(1).max(50).optional(),
});

export const updateLeadStatusSchema = z.object({
  status: z.enum(LEAD_STATUSES),
  note: z.string().max(1000).optional(),
});

/** `POST /leads/:id/tags`: one tag, trimmed (rules may add up to 50 characters; staff up to 40). */
export const addLeadTagSchema = z.object({
  tag: z
    .string({ error: 'tag must be a string' })
    .trim()
    .min(1, 'a tag needs at least 1 character')
    .max(40, 'a tag has at most 40 characters'),
});
export type AddLeadTagInput = z.infer<typeof addLeadTagSchema>;

/** The lead's tags after a change, sorted. */
export const leadTagsSchema = z.object({ tags: z.array(z.string()) });
export type LeadTagsDto = z.infer<typeof leadTagsSchema>;
