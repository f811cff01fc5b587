import { z } from 'zod';
import { CHANNELS, CONVERSATION_STATUSES, LEAD_TEMPERATURES } from '../enums.js';
import { LEAD_STATUSES } from '../lead-status.js';

/**
 * CSV exports (`GET /exports/leads.csv`, `GET /exports/conversations.csv`):
 * the same filters as the lists, without paging (an export is every row that
 * matches). Days are the tenant's local dates.
 */
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .optional();

export const exportLeadsQuerySchema = z.object({
  status: z.enum(LEAD_STATUSES).optional(),
  temperature: z.enum(LEAD_TEMPERATURES).optional(),
  source: z.enum(CHANNELS).optional(),
  tag: z.string().trim().min(1).max(50).optional(),
  /** Created on or after this local day. */
  from: day,
  /** Created on or before this local day. */
  to: day,
});
export type ExportLeadsQuery = z.infer<typeof exportLeadsQuerySchema>;

export const exportConversationsQuerySchema = z.object({
  channel: z.enum(CHANNELS).optional(),
  status: z.enum(CONVERSATION_STATUSES).optional(),
  from: day,
  to: day,
});
export type ExportConversationsQuery = z.infer<typeof exportConversationsQuerySchema>;
