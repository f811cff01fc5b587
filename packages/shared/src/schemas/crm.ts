import { z } from 'zod';
import { LEAD_STATUSES, type LeadStatus } from '../lead-status.js';
import type { SecretHint } from './channel-settings.js';

/**
 * CRM sync contracts (`/api/v1/crm/hubspot`, `/api/v1/leads/:id/crm`).
 * Design note: like the channel credentials, the private-app token and the
 * app's client secret (which signs HubSpot's webhooks) go in and never come
 * out; responses show "set" and the last four characters. Mappings are plain
 * data the sync reads at run time, so a tenant can point Lead Desk at its own
 * pipeline and properties without a deploy.
 */

/** The Lead Desk facts written to HubSpot as properties (custom ones created on first connect). */
export const CRM_PROPERTY_FIELDS = [
  'score',
  'temperature',
  'evidence',
  'intent',
  'service',
  'language',
  'sourceChannel',
  'conversationLink',
] as const;
export type CrmPropertyField = (typeof CRM_PROPERTY_FIELDS)[number];

/** Where each fact goes unless the tenant maps it elsewhere (all in the "Lead Desk" property group). */
export const DEFAULT_HUBSPOT_PROPERTIES: Readonly<Record<CrmPropertyField, string>> = {
  score: 'leaddesk_score',
  temperature: 'leaddesk_temperature',
  evidence: 'leaddesk_evidence_summary',
  intent: 'leaddesk_intent',
  service: 'leaddesk_service',
  language: 'leaddesk_language',
  sourceChannel: 'leaddesk_source_channel',
  conversationLink: 'leaddesk_conversation_link',
};

/** Lead status → deal stage in HubSpot's default sales pipeline (`default`). */
export const DEFAULT_HUBSPOT_STAGES: Readonly<Record<LeadStatus, string>> = {
  new: 'appointmentscheduled',
  qualifying: 'appointmentscheduled',
  qualified: 'qualifiedtobuy',
  appointment_booked: 'presentationscheduled',
  handed_off: 'decisionmakerboughtin',
  nurturing: 'qualifiedtobuy',
  closed_won: 'closedwon',
  closed_lost: 'closedlost',
  disqualified: 'closedlost',
};

const secret = z.string().trim().min(8).max(1000);
const hubspotId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'a HubSpot id is letters, digits, _ . : -');
const propertyName = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{0,99}$/, 'a HubSpot property name is lower case letters, digits and _');

export const hubspotSettingsSchema = z.object({
  /** Private-app access token (`pat-…`). Omit to keep the stored one. */
  accessToken: secret.optional(),
  /** The app's client secret: verifies `X-HubSpot-Signature-v3` on webhooks. `null` removes it. */
  clientSecret: secret.nullable().optional(),
  /** The HubSpot account (portal) id; webhooks naming another portal are ignored. */
  portalId: z
    .string()
    .trim()
    .regex(/^\d{1,20}$/, 'a portal id is digits')
    .nullable()
    .optional(),
  pipelineId: hubspotId.default('default'),
  stageMapping: z.partialRecord(z.enum(LEAD_STATUSES), hubspotId).default({}),
  propertyMapping: z.partialRecord(z.enum(CRM_PROPERTY_FIELDS), propertyName).default({}),
  /** Sync on qualification and status changes; false pauses it (webhooks still apply). */
  enabled: z.boolean().default(true),
});
export type HubSpotSettingsInput = z.input<typeof hubspotSettingsSchema>;

export interface HubSpotSettingsView {
  configured: boolean;
  accessToken: SecretHint;
  clientSecret: SecretHint;
  portalId: string | null;
  pipelineId: string;
  /** Every status with its stage (defaults filled in). */
  stageMapping: Record<LeadStatus, string>;
  propertyMapping: Record<CrmPropertyField, string>;
  enabled: boolean;
  /** When the Lead Desk property group and properties were created (first connect). */
  propertiesReadyAt: string | null;
  /** What to paste as the webhook target URL in the HubSpot app. */
  webhookUrl: string;
  /** Whether this server can store secrets (APP_SECRET). */
  secretsStorable: boolean;
}

export interface HubSpotTestResult {
  ok: boolean;
  message: string;
  /** The pipelines the token can see, to choose one and its stages. */
  pipelines: Array<{ id: string; label: string; stages: Array<{ id: string; label: string }> }>;
}

export const CRM_SYNC_STATES = ['not_synced', 'pending', 'synced', 'failed'] as const;
export type CrmSyncState = (typeof CRM_SYNC_STATES)[number];

export interface CrmSyncDto {
  provider: 'hubspot';
  /** `not_synced`: HubSpot is not connected or this lead never changed since. */
  state: CrmSyncState;
  /** Why the last try failed (`failed`, or `pending` while retrying). */
  error: string | null;
  contactId: string | null;
  dealId: string | null;
  /** Links to the records in HubSpot (when the portal id is known). */
  contactUrl: string | null;
  dealUrl: string | null;
  requestedAt: string | null;
  syncedAt: string | null;
}

export interface CrmResyncResult {
  /** Leads queued for a sync. */
  queued: number;
}
