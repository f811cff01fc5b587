import { z } from 'zod';
import { leadSchema } from './lead.js';

/**
 * Privacy contracts (issue 18): a lead's data as one JSON document
 * (`GET /api/v1/leads/:id/export`) and the answer to its erasure
 * (`DELETE /api/v1/leads/:id`). Design note: the export lists every table that
 * holds rows of the lead, one array per table with the rows' own columns
 * (camelCase), so a new column reaches the download without a contract change;
 * the schema names the sections and leaves their rows open.
 */
const rows = z.array(z.record(z.string(), z.unknown()));

/**
 * The export's format id: neutral, since a white-labelled client downloads it (docs/white-label.md). Exports
 * written before it carry the older, platform-named id, which `storedLeadExportSchema` (for anything that
 * reads a saved export back) still accepts; the server writes, and its API document names, only the current one.
 */
export const LEAD_EXPORT_FORMAT = 'lead-export.v1';
export const LEGACY_LEAD_EXPORT_FORMATS = ['leaddesk.lead-export.v1'] as const;

export const leadExportSchema = z.object({
  format: z.literal(LEAD_EXPORT_FORMAT),
  exportedAt: z.string(),
  lead: leadSchema,
  conversations: rows,
  /** Every message of the lead's conversations, by conversation then sequence; attachments as metadata. */
  messages: rows,
  escalations: rows,
  conversationEvents: rows,
  copilotSuggestions: rows,
  callbackTasks: rows,
  followUpRuns: rows,
  followUpSends: rows,
  followUpOptOuts: rows,
  bookings: rows,
  bookingOffers: rows,
  automationFirings: rows,
  reviewRequests: rows,
  crmSyncs: rows,
  knowledgeGaps: rows,
});
export type LeadExport = z.infer<typeof leadExportSchema>;

/** A saved export as a reader meets it: the current format id or an older one. */
export const storedLeadExportSchema = leadExportSchema.extend({
  format: z.enum([LEAD_EXPORT_FORMAT, ...LEGACY_LEAD_EXPORT_FORMATS]),
});

export const leadErasureSchema = z.object({
  leadId: z.string().uuid(),
  erasedAt: z.string(),
  /** What was removed, by kind (counts only: the answer carries nothing of the lead). */
  removed: z.object({
    conversations: z.number().int(),
    messages: z.number().int(),
    outgoingWebhookEvents: z.number().int(),
    inboundWebhookPayloads: z.number().int(),
    knowledgeGaps: z.number().int(),
    automationFirings: z.number().int(),
  }),
  /** A deletion of the HubSpot contact (and its deal and note) was queued. */
  crmDeletionQueued: z.boolean(),
});
export type LeadErasure = z.infer<typeof leadErasureSchema>;
