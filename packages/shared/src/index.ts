/**
 * @leaddesk/shared: the one source of truth for contracts between the server,
 * the widget and the dashboard. Its only runtime dependency is zod; the widget
 * imports types only, so zod never reaches the widget bundle. The package is
 * `"sideEffects": false` and the constants clients use at runtime (enums,
 * policy, lead transitions) live in modules without zod, so a bundler keeps
 * only those: the dashboard ships no zod either.
 */
export * from './enums.js';
export * from './errors.js';
export * from './events/staff.js';
export * from './events/widget.js';
export * from './lead-status.js';
export * from './outgoing-webhook-events.js';
export * from './policy.js';
export * from './schemas/agencies.js';
export * from './schemas/automation-rules.js';
export * from './schemas/booking.js';
export * from './schemas/branding.js';
export * from './schemas/business-hours.js';
export * from './schemas/channel-settings.js';
export * from './schemas/client-config.js';
export * from './schemas/common.js';
export * from './schemas/conversation.js';
export * from './schemas/crm.js';
export * from './schemas/exports.js';
export * from './schemas/follow-ups.js';
export * from './schemas/knowledge.js';
export * from './schemas/lead.js';
export * from './schemas/outgoing-webhooks.js';
export * from './schemas/plans.js';
export * from './schemas/privacy.js';
export * from './schemas/report-insights.js';
export * from './schemas/report-monthly-email.js';
export * from './schemas/report-roi.js';
export * from './schemas/report-scoring.js';
export * from './schemas/reports.js';
export * from './schemas/staff-desk.js';
export * from './schemas/usage.js';
export * from './storable-text.js';
