import { z } from 'zod';
import { CHANNELS, ESCALATION_STATUSES, INBOX_FILTERS } from '../enums.js';
import { paginationQuerySchema } from './common.js';

export const inboxQuerySchema = paginationQuerySchema.extend({
  filter: z.enum(INBOX_FILTERS).default('all'),
  channel: z.enum(CHANNELS).optional(),
  minScore: z.coerce.number().int().min(0).max(100).optional(),
  q: z.string().trim().min(1).max(200).optional(),
});

export const listEscalationsQuerySchema = paginationQuerySchema.extend({
  status: z.enum(ESCALATION_STATUSES).optional(),
});

export const resolveEscalationSchema = z.object({ resolution: z.string().trim().min(1).max(4000) });

export const escalationSchema = z.object({
  id: z.string().uuid(),
  conversationId: z.string().uuid(),
  leadId: z.string().uuid().nullable(),
  leadName: z.string().nullable(),
  reason: z.string(),
  priority: z.string(),
  status: z.string(),
  detail: z.string(),
  resolution: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type EscalationDto = z.infer<typeof escalationSchema>;

export const escalationStatsSchema = z.object({
  total: z.number().int(),
  pending: z.number().int(),
  mostCommonReason: z.string().nullable(),
  averageMinutesToResolve: z.number().nullable(),
});
export type EscalationStats = z.infer<typeof escalationStatsSchema>;

export const analyticsQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(365).default(30),
});

export const analyticsSchema = z.object({
  days: z.number().int(),
  kpis: z.object({
    leads: z.number().int(),
    hotLeads: z.number().int(),
    appointments: z.number().int(),
    activeChats: z.number().int(),
    escalations: z.number().int(),
    /** Share of leads with status qualified or beyond (0..1). */
    qualificationRate: z.number(),
    /** Average seconds from a conversation's first visitor message to the first answer (AI or staff). */
    avgFirstResponseSeconds: z.number().nullable(),
  }),
  leadsByDay: z.array(z.object({ day: z.string(), hot: z.number(), warm: z.number(), cold: z.number() })),
  byChannel: z.array(z.object({ channel: z.string(), leads: z.number() })),
  scoreDistribution: z.array(z.object({ bucket: z.string(), leads: z.number() })),
  afterHours: z.object({ conversations: z.number().int(), hotLeads: z.number().int() }),
  copilot: z.object({ sentAsIs: z.number().int(), edited: z.number().int(), discarded: z.number().int() }),
});
export type AnalyticsDto = z.infer<typeof analyticsSchema>;
