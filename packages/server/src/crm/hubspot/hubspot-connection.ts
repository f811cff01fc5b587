import {
  CRM_PROPERTY_FIELDS,
  type CrmPropertyField,
  DEFAULT_HUBSPOT_PROPERTIES,
  DEFAULT_HUBSPOT_STAGES,
  type HubSpotSettingsView,
  LEAD_STATUSES,
  type LeadStatus,
} from '@leaddesk/shared';
import type { SecretBox } from '../../channels/settings/secret-box.js';
import type { Sql } from '../../db/sql.js';

/**
 * A tenant's HubSpot connection as stored in `crm_connections.settings`:
 * the token and the client secret sealed with the SecretBox (AES-256-GCM),
 * their last four characters as hints, and the mappings as sent.
 */
export interface StoredHubSpotSettings {
  accessToken: string;
  clientSecret?: string;
  hints: { accessToken: string; clientSecret?: string };
  portalId?: string;
  pipelineId: string;
  stageMapping: Partial<Record<LeadStatus, string>>;
  propertyMapping: Partial<Record<CrmPropertyField, string>>;
  enabled: boolean;
}

/** Decrypted and completed with the defaults: what the sync and the webhooks use. */
export interface HubSpotConnection {
  clientId: string;
  accessToken: string;
  clientSecret: string | null;
  portalId: string | null;
  pipelineId: string;
  stages: Record<LeadStatus, string>;
  properties: Record<CrmPropertyField, string>;
  enabled: boolean;
  propertiesReadyAt: Date | null;
}

export const PROVIDER = 'hubspot';

interface ConnectionRow {
  settings: StoredHubSpotSettings;
  properties_ready_at: Date | string | null;
}

export async function loadStoredHubSpot(
  sql: Pick<Sql, 'query'>,
  clientId: string,
  options: { lock?: boolean } = {},
): Promise<{ settings: StoredHubSpotSettings; propertiesReadyAt: Date | null } | null> {
  const rows = await sql.query<ConnectionRow[]>(
    `select settings, properties_ready_at from crm_connections where client_id = ? and provider = ?${
      options.lock ? ' for update' : ''
    }`,
    [clientId, PROVIDER],
  );
  const row = rows[0];
  if (!row) return null;
  // Timestamps come back as text on this connection: one Date from here on.
  return {
    settings: row.settings,
    propertiesReadyAt: row.properties_ready_at ? new Date(row.properties_ready_at) : null,
  };
}

export async function loadHubSpotConnection(
  sql: Pick<Sql, 'query'>,
  box: SecretBox | null,
  clientId: string,
): Promise<HubSpotConnection | null> {
  const stored = await loadStoredHubSpot(sql, clientId);
  if (!stored || !box) return null;
  const s = stored.settings;
  return {
    clientId,
    accessToken: box.open(s.accessToken),
    clientSecret: s.clientSecret ? box.open(s.clientSecret) : null,
    portalId: s.portalId ?? null,
    pipelineId: s.pipelineId,
    stages: stagesOf(s),
    properties: propertiesOf(s),
    enabled: s.enabled,
    propertiesReadyAt: stored.propertiesReadyAt,
  };
}

export function stagesOf(s: Pick<StoredHubSpotSettings, 'stageMapping'>): Record<LeadStatus, string> {
  return Object.fromEntries(
    LEAD_STATUSES.map((st) => [st, s.stageMapping[st] ?? DEFAULT_HUBSPOT_STAGES[st]]),
  ) as Record<LeadStatus, string>;
}

export function propertiesOf(s: Pick<StoredHubSpotSettings, 'propertyMapping'>): Record<CrmPropertyField, string> {
  return Object.fromEntries(
    CRM_PROPERTY_FIELDS.map((f) => [f, s.propertyMapping[f] ?? DEFAULT_HUBSPOT_PROPERTIES[f]]),
  ) as Record<CrmPropertyField, string>;
}

/**
 * The status a HubSpot stage means. Several statuses may share a stage: when
 * the lead's current status already maps to it, the lead keeps its status
 * (the change was ours, echoed back, or says nothing new).
 */
export function statusForStage(
  stages: Record<LeadStatus, string>,
  stage: string,
  current: LeadStatus,
): LeadStatus | null {
  if (stages[current] === stage) return current;
  return LEAD_STATUSES.find((s) => stages[s] === stage) ?? null;
}

export function hubspotSettingsView(
  stored: { settings: StoredHubSpotSettings; propertiesReadyAt: Date | null } | null,
  extra: { webhookUrl: string; secretsStorable: boolean },
): HubSpotSettingsView {
  const s = stored?.settings;
  return {
    configured: Boolean(s),
    accessToken: s ? { set: true, last4: s.hints.accessToken } : { set: false },
    clientSecret: s?.clientSecret ? { set: true, last4: s.hints.clientSecret ?? '••••' } : { set: false },
    portalId: s?.portalId ?? null,
    pipelineId: s?.pipelineId ?? 'default',
    stageMapping: stagesOf({ stageMapping: s?.stageMapping ?? {} }),
    propertyMapping: propertiesOf({ propertyMapping: s?.propertyMapping ?? {} }),
    enabled: s?.enabled ?? false,
    propertiesReadyAt: stored?.propertiesReadyAt ? stored.propertiesReadyAt.toISOString() : null,
    webhookUrl: extra.webhookUrl,
    secretsStorable: extra.secretsStorable,
  };
}

/** Links to a record in HubSpot's app (needs the portal id). */
export function recordUrl(portalId: string | null, objectTypeId: '0-1' | '0-3', id: string | null): string | null {
  if (!portalId || !id) return null;
  return `https://app.hubspot.com/contacts/${portalId}/record/${objectTypeId}/${id}`;
}
