import type { HubSpotRateLimiter } from './hubspot-rate-limit.js';

/**
 * A small HubSpot CRM v3 client over fetch (no SDK): the calls the sync
 * needs, each one through the tenant's rate budget. A 429 is honoured with
 * its `Retry-After` (the whole tenant pauses, across processes) and retried;
 * 5xx and network failures are retried with exponential backoff; other 4xx
 * are thrown at once as a HubSpotError the caller can read (409 conflicts
 * carry the existing id in their message).
 */
export interface HubSpotClientOptions {
  baseUrl: string;
  accessToken: string;
  limiter: HubSpotRateLimiter;
  /** The rate budget's key (the tenant's id). */
  tenantKey: string;
  /** @default 15000 */
  timeoutMs?: number;
  /** Retries of one call after 429, 5xx or a network error. @default 4 */
  maxRetries?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface HubSpotObject {
  id: string;
  properties: Record<string, string | null>;
}

export interface HubSpotPipeline {
  id: string;
  label: string;
  stages: Array<{ id: string; label: string }>;
}

export interface HubSpotOwner {
  id: string;
  email: string | null;
}

/** HubSpot's association type ids (HUBSPOT_DEFINED). */
export const ASSOCIATION = { dealToContact: 3, noteToContact: 202, noteToDeal: 214 } as const;

export class HubSpotError extends Error {
  override name = 'HubSpotError';
  constructor(
    readonly status: number,
    message: string,
    readonly category: string | null,
    /** Worth trying again later (429 after its retries, 5xx, network). */
    readonly retryable: boolean,
  ) {
    super(message);
  }

  /** `Contact already exists. Existing ID: 123` → `123`. */
  existingId(): string | null {
    if (this.status !== 409) return null;
    return /Existing ID:\s*(\d+)/i.exec(this.message)?.[1] ?? null;
  }
}

export class HubSpotClient {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: HubSpotClientOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** Contacts matching any of: the email, the phone (digits), the Lead Desk lead id. */
  async searchContacts(contact: {
    email?: string | null;
    phone?: string | null;
    leadId?: string;
  }): Promise<HubSpotObject[]> {
    // One filter group per identifier: groups are ORed, filters inside a group ANDed.
    const filterGroups = [];
    if (contact.email)
      filterGroups.push({ filters: [{ propertyName: 'email', operator: 'EQ', value: contact.email }] });
    if (contact.phone) {
      filterGroups.push({
        filters: [
          {
            propertyName: 'hs_searchable_calculated_phone_number',
            operator: 'EQ',
            value: contact.phone.replace(/\D/g, ''),
          },
        ],
      });
    }
    if (contact.leadId) {
      filterGroups.push({ filters: [{ propertyName: 'leaddesk_lead_id', operator: 'EQ', value: contact.leadId }] });
    }
    if (!filterGroups.length) return [];
    const res = await this.call<{ results: HubSpotObject[] }>('POST', '/crm/v3/objects/contacts/search', {
      filterGroups,
      properties: ['email', 'firstname', 'lastname', 'phone'],
      limit: 10,
    });
    return res.results;
  }

  createContact(properties: Record<string, string>): Promise<HubSpotObject> {
    return this.call('POST', '/crm/v3/objects/contacts', { properties });
  }

  updateContact(id: string, properties: Record<string, string>): Promise<HubSpotObject> {
    return this.call('PATCH', `/crm/v3/objects/contacts/${encodeURIComponent(id)}`, { properties });
  }

  async searchDeals(propertyName: string, value: string): Promise<HubSpotObject[]> {
    const res = await this.call<{ results: HubSpotObject[] }>('POST', '/crm/v3/objects/deals/search', {
      filterGroups: [{ filters: [{ propertyName, operator: 'EQ', value }] }],
      properties: ['dealname', 'dealstage', 'pipeline', 'hubspot_owner_id'],
      limit: 10,
    });
    return res.results;
  }

  createDeal(properties: Record<string, string>, contactId: string): Promise<HubSpotObject> {
    return this.call('POST', '/crm/v3/objects/deals', {
      properties,
      associations: [association(contactId, ASSOCIATION.dealToContact)],
    });
  }

  updateDeal(id: string, properties: Record<string, string>): Promise<HubSpotObject> {
    return this.call('PATCH', `/crm/v3/objects/deals/${encodeURIComponent(id)}`, { properties });
  }

  createNote(body: string, timestamp: Date, to: { contactId: string; dealId: string }): Promise<HubSpotObject> {
    return this.call('POST', '/crm/v3/objects/notes', {
      properties: { hs_note_body: body, hs_timestamp: timestamp.toISOString() },
      associations: [
        association(to.contactId, ASSOCIATION.noteToContact),
        association(to.dealId, ASSOCIATION.noteToDeal),
      ],
    });
  }

  updateNote(id: string, body: string): Promise<HubSpotObject> {
    return this.call('PATCH', `/crm/v3/objects/notes/${encodeURIComponent(id)}`, {
      properties: { hs_note_body: body },
    });
  }

  /**
   * Archives a contact, deal or note (`DELETE /crm/v3/objects/{type}/{id}`, 204). One already gone
   * (404) counts as done: erasure asks for it again after a while, and may find nothing.
   */
  async archive(objectType: 'contacts' | 'deals' | 'notes', id: string): Promise<void> {
    try {
      await this.call('DELETE', `/crm/v3/objects/${objectType}/${encodeURIComponent(id)}`);
    } catch (err) {
      if (!(err instanceof HubSpotError && err.status === 404)) throw err;
    }
  }

  async getOwner(ownerId: string): Promise<HubSpotOwner | null> {
    try {
      const owner = await this.call<{ id: string; email?: string | null }>(
        'GET',
        `/crm/v3/owners/${encodeURIComponent(ownerId)}`,
      );
      return { id: String(owner.id), email: owner.email ?? null };
    } catch (err) {
      if (err instanceof HubSpotError && err.status === 404) return null;
      throw err;
    }
  }

  async listDealPipelines(): Promise<HubSpotPipeline[]> {
    const res = await this.call<{ results: Array<HubSpotPipeline & { stages: Array<{ id: string; label: string }> }> }>(
      'GET',
      '/crm/v3/pipelines/deals',
    );
    return res.results.map((p) => ({
      id: p.id,
      label: p.label,
      stages: p.stages.map((s) => ({ id: s.id, label: s.label })),
    }));
  }

  /** Creates a property group; an existing one (409) is fine. */
  async ensurePropertyGroup(objectType: string, group: { name: string; label: string }): Promise<void> {
    try {
      await this.call('POST', `/crm/v3/properties/${objectType}/groups`, { ...group, displayOrder: -1 });
    } catch (err) {
      if (!(err instanceof HubSpotError && err.status === 409)) throw err;
    }
  }

  /** Creates a property; an existing one (409) is fine. */
  async ensureProperty(
    objectType: string,
    property: { name: string; label: string; type: string; fieldType: string; groupName: string; description: string },
  ): Promise<void> {
    try {
      await this.call('POST', `/crm/v3/properties/${objectType}`, property);
    } catch (err) {
      if (!(err instanceof HubSpotError && err.status === 409)) throw err;
    }
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const { baseUrl, accessToken, limiter, tenantKey } = this.options;
    const maxRetries = this.options.maxRetries ?? 4;
    for (let attempt = 0; ; attempt++) {
      await limiter.take(tenantKey);
      let res: Response;
      try {
        res = await fetch(`${baseUrl.replace(/\/$/, '')}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${accessToken}`,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
        });
      } catch (err) {
        if (attempt >= maxRetries) {
          throw new HubSpotError(0, `HubSpot unreachable: ${(err as Error).message}`, null, true);
        }
        await this.sleep(backoff(attempt));
        continue;
      }
      const text = await res.text();
      if (res.ok) return (text ? JSON.parse(text) : {}) as T;
      const parsed = parseError(text);
      if (res.status === 429) {
        const waitMs = retryAfterMs(res.headers) ?? backoff(attempt);
        // The whole tenant waits, in every process: the budget is HubSpot's, not ours.
        await limiter.pause(tenantKey, waitMs);
        if (attempt >= maxRetries) throw new HubSpotError(429, parsed.message, parsed.category, true);
        await this.sleep(waitMs);
        continue;
      }
      if (res.status >= 500) {
        if (attempt >= maxRetries) throw new HubSpotError(res.status, parsed.message, parsed.category, true);
        await this.sleep(backoff(attempt));
        continue;
      }
      throw new HubSpotError(res.status, parsed.message, parsed.category, false);
    }
  }
}

function association(id: string, typeId: number) {
  return { to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId }] };
}

function parseError(text: string): { message: string; category: string | null } {
  try {
    const body = JSON.parse(text) as { message?: unknown; category?: unknown };
    return {
      message: typeof body.message === 'string' ? body.message.slice(0, 500) : `HTTP error: ${text.slice(0, 200)}`,
      category: typeof body.category === 'string' ? body.category : null,
    };
  } catch {
    return { message: `HubSpot answered: ${text.slice(0, 200)}`, category: null };
  }
}

/** `Retry-After` in seconds (or an HTTP date), as milliseconds. */
export function retryAfterMs(headers: Headers): number | null {
  const raw = headers.get('retry-after');
  if (!raw) return null;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, Math.min(120_000, Math.round(seconds * 1000)));
  const at = Date.parse(raw);
  return Number.isNaN(at) ? null : Math.max(0, Math.min(120_000, at - Date.now()));
}

function backoff(attempt: number): number {
  const base = Math.min(16_000, 500 * 2 ** attempt);
  return Math.round(base / 2 + Math.random() * (base / 2));
}
