/** Privacy (issue 18): a lead's data as a download, and its erasure everywhere it lives (docs/privacy.md). */

export { deleteConversationTraces } from './conversation-traces.js';
export { type CrmTraces, type ErasedLead, eraseLead } from './erase-lead.js';
export { writeLeadExport } from './lead-export.js';
export { privacyRoutes } from './privacy-routes.js';
