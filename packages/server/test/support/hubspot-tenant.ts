import { randomUUID } from 'node:crypto';
import type { CrmSyncDto } from '@leaddesk/shared';
import { waitFor } from './fake-providers.js';

/**
 * What the HubSpot tests do as a tenant over HTTP: connect HubSpot, bring a
 * lead in through the public web form, move its status, and read its sync
 * state. `base` is the server's URL, `token` a staff access token or API key.
 */
export interface TenantCaller {
  base: string;
  token: string;
}

// biome-ignore lint/suspicious/noExplicitAny: JSON bodies of many shapes, asserted field by field in tests
export async function call<T = any>(
  who: TenantCaller,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; body: T; text: string }> {
  const res = await fetch(`${who.base}/api/v1${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      authorization: `Bearer ${who.token}`,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, text };
}

export async function connectHubSpot(
  who: TenantCaller,
  settings: { accessToken: string; clientSecret: string; portalId: string; [k: string]: unknown },
) {
  const res = await call(who, '/crm/hubspot', { method: 'PUT', body: settings });
  if (res.status !== 200) throw new Error(`connect failed: ${res.status} ${res.text}`);
  return res.body;
}

/** A lead through the public web form (creates the lead and its conversation, emits lead.updated). */
export async function webFormLead(
  base: string,
  siteKey: string,
  lead: { name?: string; email?: string; phone?: string; message?: string; service?: string },
): Promise<{ leadId: string; conversationId: string }> {
  const res = await fetch(`${base}/webhooks/web-form`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      siteKey,
      submissionId: randomUUID(),
      message: 'I would like a check-up next week',
      ...lead,
    }),
  });
  const body = (await res.json()) as { leadId: string; conversationId: string };
  if (res.status !== 201) throw new Error(`web form failed: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

export async function crmState(who: TenantCaller, leadId: string): Promise<CrmSyncDto> {
  const res = await call<CrmSyncDto>(who, `/leads/${leadId}/crm`);
  if (res.status !== 200) throw new Error(`crm state: ${res.status} ${res.text}`);
  return res.body;
}

/** Waits until the lead's sync state passes `check`. */
export function waitForCrm(
  who: TenantCaller,
  leadId: string,
  check: (s: CrmSyncDto) => boolean,
  timeoutMs = 30_000,
): Promise<CrmSyncDto> {
  return waitFor(async () => {
    const s = await crmState(who, leadId);
    return check(s) ? s : undefined;
  }, timeoutMs);
}
