import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HubSpot CRM v3 speaking the documented wire shapes (contacts
 * search/create/update/archive with the 409 "Contact already exists. Existing ID: …"
 * conflict, deals with associations, notes, owners, deal pipelines, property
 * groups and properties), one portal per private-app token, so the server's
 * own HubSpot client runs unchanged against it by base URL. Tests steer it:
 * canned failures (a 429 with Retry-After), a response held back while the
 * object is already created (a worker killed mid-request), contacts that
 * exist but are not in the search index yet (which is how the 409 happens).
 */

export interface HubSpotRecord {
  id: string;
  properties: Record<string, string>;
  associations: Array<{ toId: string; typeId: number }>;
  createdAt: string;
  updatedAt: string;
  /** Search sees it (HubSpot's index lags behind creates). */
  indexed: boolean;
}

export interface HubSpotPortal {
  portalId: string;
  token: string;
  contacts: Map<string, HubSpotRecord>;
  deals: Map<string, HubSpotRecord>;
  notes: Map<string, HubSpotRecord>;
  groups: Record<string, string[]>;
  properties: Record<string, string[]>;
  owners: Map<string, { id: string; email: string; firstName: string; lastName: string }>;
}

export interface HubSpotRequest {
  method: string;
  path: string;
  portalId: string | null;
  json: unknown;
  at: number;
  status?: number;
}

interface CannedFailure {
  match: (r: HubSpotRequest) => boolean;
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export const DEFAULT_PIPELINE = {
  id: 'default',
  label: 'Sales Pipeline',
  displayOrder: 0,
  stages: [
    ['appointmentscheduled', 'Appointment Scheduled'],
    ['qualifiedtobuy', 'Qualified To Buy'],
    ['presentationscheduled', 'Presentation Scheduled'],
    ['decisionmakerboughtin', 'Decision Maker Bought-In'],
    ['contractsent', 'Contract Sent'],
    ['closedwon', 'Closed Won'],
    ['closedlost', 'Closed Lost'],
  ].map(([id, label], i) => ({
    id,
    label,
    displayOrder: i,
    metadata: { probability: String(i / 6) },
    archived: false,
  })),
};

export interface FakeHubSpot {
  url: string;
  requests: HubSpotRequest[];
  portal(token: string): HubSpotPortal;
  /** A new portal (HubSpot account) reachable with this token. */
  addPortal(token: string, portalId: string): HubSpotPortal;
  /** A contact that exists but search does not see yet: creating it again answers 409. */
  seedContact(token: string, properties: Record<string, string>): HubSpotRecord;
  /** The next `times` requests matching answer with this failure. */
  failNext(match: (r: HubSpotRequest) => boolean, failure: Omit<CannedFailure, 'match'>, times?: number): void;
  /** The next matching request is carried out but its answer is held back until `release()`. */
  hold(match: (r: HubSpotRequest) => boolean): { reached: Promise<HubSpotRequest>; release(): void };
  close(): Promise<void>;
}

let nextId = 100_000_000;

export async function startFakeHubSpot(): Promise<FakeHubSpot> {
  const portals = new Map<string, HubSpotPortal>();
  const requests: HubSpotRequest[] = [];
  const failures: CannedFailure[] = [];
  const holds: Array<{
    match: (r: HubSpotRequest) => boolean;
    reached: (r: HubSpotRequest) => void;
    wait: Promise<void>;
  }> = [];
  const held: Array<() => void> = [];

  const addPortal = (token: string, portalId: string): HubSpotPortal => {
    const portal: HubSpotPortal = {
      portalId,
      token,
      contacts: new Map(),
      deals: new Map(),
      notes: new Map(),
      groups: {},
      properties: {},
      owners: new Map(),
    };
    portals.set(token, portal);
    return portal;
  };

  const record = (properties: Record<string, string>, indexed = true): HubSpotRecord => {
    const now = new Date().toISOString();
    const id = String(nextId++);
    return {
      id,
      properties: { ...properties, hs_object_id: id, createdate: now, lastmodifieddate: now },
      associations: [],
      createdAt: now,
      updatedAt: now,
      indexed,
    };
  };
  const wire = (r: HubSpotRecord, only?: string[]) => ({
    id: r.id,
    properties: only
      ? Object.fromEntries(only.filter((k) => k in r.properties).map((k) => [k, r.properties[k]]))
      : r.properties,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    archived: false,
  });
  const refusal = (status: number, message: string, category: string) => ({
    status,
    body: { status: 'error', message, correlationId: randomUUID(), category },
  });

  const propertyOf = (r: HubSpotRecord, name: string) =>
    name === 'hs_searchable_calculated_phone_number'
      ? (r.properties.phone ?? '').replace(/\D/g, '')
      : r.properties[name];

  const search = (objects: Map<string, HubSpotRecord>, body: unknown) => {
    const b = body as {
      filterGroups?: Array<{ filters: Array<{ propertyName: string; operator: string; value: string }> }>;
      properties?: string[];
      limit?: number;
    };
    const groups = b.filterGroups ?? [];
    const results = [...objects.values()].filter(
      (r) =>
        r.indexed &&
        groups.some((g) =>
          g.filters.every(
            (f) =>
              f.operator === 'EQ' &&
              (propertyOf(r, f.propertyName) ?? '').toLowerCase() === String(f.value).toLowerCase(),
          ),
        ),
    );
    return {
      status: 200,
      body: { total: results.length, results: results.slice(0, b.limit ?? 10).map((r) => wire(r, b.properties)) },
    };
  };

  const associate = (r: HubSpotRecord, body: unknown) => {
    const list = (
      body as { associations?: Array<{ to: { id: string | number }; types: Array<{ associationTypeId: number }> }> }
    ).associations;
    for (const a of list ?? [])
      for (const t of a.types) r.associations.push({ toId: String(a.to.id), typeId: t.associationTypeId });
  };

  const respond = (portal: HubSpotPortal, req: HubSpotRequest): { status: number; body: unknown } => {
    const { method, path } = req;
    const body = (req.json ?? {}) as { properties?: Record<string, string>; name?: string };
    const objectPath = /^\/crm\/v3\/objects\/(contacts|deals|notes)\/(\w+)$/.exec(path);
    const ownerPath = /^\/crm\/v3\/owners\/(\w+)$/.exec(path);
    const groupPath = /^\/crm\/v3\/properties\/(\w+)\/groups$/.exec(path);
    const propertyPath = /^\/crm\/v3\/properties\/(\w+)$/.exec(path);
    if (method === 'POST' && path === '/crm/v3/objects/contacts/search') return search(portal.contacts, req.json);
    if (method === 'POST' && path === '/crm/v3/objects/deals/search') return search(portal.deals, req.json);
    if (method === 'POST' && path === '/crm/v3/objects/contacts') {
      const email = body.properties?.email?.toLowerCase();
      const existing = email && [...portal.contacts.values()].find((c) => c.properties.email?.toLowerCase() === email);
      if (existing) return refusal(409, `Contact already exists. Existing ID: ${existing.id}`, 'CONFLICT');
      const r = record(body.properties ?? {});
      associate(r, req.json);
      portal.contacts.set(r.id, r);
      return { status: 201, body: wire(r) };
    }
    if (method === 'POST' && (path === '/crm/v3/objects/deals' || path === '/crm/v3/objects/notes')) {
      const r = record(body.properties ?? {});
      associate(r, req.json);
      (path.endsWith('deals') ? portal.deals : portal.notes).set(r.id, r);
      return { status: 201, body: wire(r) };
    }
    if (method === 'PATCH' && objectPath) {
      const m = objectPath;
      const r = { contacts: portal.contacts, deals: portal.deals, notes: portal.notes }[m[1] as 'notes'].get(
        m[2] as string,
      );
      if (!r) return refusal(404, 'resource not found', 'OBJECT_NOT_FOUND');
      Object.assign(r.properties, body.properties ?? {});
      r.updatedAt = new Date().toISOString();
      return { status: 200, body: wire(r) };
    }
    if (method === 'DELETE' && objectPath) {
      // Archive (HubSpot's DELETE moves the object to the recycle bin): 204, also for one already gone.
      const m = objectPath;
      const objects = { contacts: portal.contacts, deals: portal.deals, notes: portal.notes }[m[1] as 'notes'];
      objects.delete(m[2] as string);
      return { status: 204, body: undefined };
    }
    if (method === 'GET' && ownerPath) {
      const m = ownerPath;
      const owner = portal.owners.get(m[1] as string);
      if (!owner) return refusal(404, 'Owner not found', 'OBJECT_NOT_FOUND');
      return { status: 200, body: { ...owner, userId: Number(owner.id) + 1, archived: false } };
    }
    if (method === 'GET' && path === '/crm/v3/pipelines/deals')
      return { status: 200, body: { results: [DEFAULT_PIPELINE] } };
    if (method === 'POST' && groupPath) {
      const m = groupPath;
      const list = portal.groups[m[1] as string] ?? [];
      portal.groups[m[1] as string] = list;
      if (list.includes(body.name ?? '')) return refusal(409, `A group named ${body.name} already exists`, 'CONFLICT');
      list.push(body.name ?? '');
      return { status: 201, body: { ...(req.json as object), archived: false } };
    }
    if (method === 'POST' && propertyPath) {
      const m = propertyPath;
      const list = portal.properties[m[1] as string] ?? [];
      portal.properties[m[1] as string] = list;
      if (list.includes(body.name ?? '')) {
        return refusal(409, `Property named '${body.name}' already exists.`, 'OBJECT_ALREADY_EXISTS');
      }
      list.push(body.name ?? '');
      return { status: 201, body: { ...(req.json as object), createdAt: new Date().toISOString() } };
    }
    return refusal(404, `no route for ${method} ${path}`, 'OBJECT_NOT_FOUND');
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const portal = token ? portals.get(token) : undefined;
      const recorded: HubSpotRequest = {
        method: req.method ?? 'GET',
        path: (req.url ?? '/').split('?')[0] as string,
        portalId: portal?.portalId ?? null,
        json: text ? JSON.parse(text) : undefined,
        at: Date.now(),
      };
      requests.push(recorded);
      const headers: Record<string, string> = {
        'content-type': 'application/json;charset=utf-8',
        'x-hubspot-ratelimit-max': '100',
        'x-hubspot-ratelimit-interval-milliseconds': '10000',
      };
      let answer: { status: number; body: unknown; headers?: Record<string, string> };
      const failureAt = failures.findIndex((f) => f.match(recorded));
      if (!portal) {
        answer = refusal(401, 'Authentication credentials not found.', 'INVALID_AUTHENTICATION');
      } else if (failureAt >= 0) {
        answer = failures.splice(failureAt, 1)[0] as CannedFailure;
      } else {
        answer = respond(portal, recorded);
        const holdAt = holds.findIndex((h) => h.match(recorded));
        if (holdAt >= 0) {
          const h = holds.splice(holdAt, 1)[0];
          h?.reached(recorded);
          await h?.wait;
        }
      }
      recorded.status = answer.status;
      if (res.destroyed) return;
      res.writeHead(answer.status, { ...headers, ...answer.headers });
      res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    portal(token) {
      const p = portals.get(token);
      if (!p) throw new Error(`no portal for ${token}`);
      return p;
    },
    addPortal,
    seedContact(token, properties) {
      const p = portals.get(token);
      if (!p) throw new Error(`no portal for ${token}`);
      const r = record(properties, false);
      p.contacts.set(r.id, r);
      return r;
    },
    failNext(match, failure, times = 1) {
      for (let i = 0; i < times; i++) failures.push({ match, ...failure });
    },
    hold(match) {
      let reached!: (r: HubSpotRequest) => void;
      let release!: () => void;
      const reachedP = new Promise<HubSpotRequest>((r) => {
        reached = r;
      });
      const wait = new Promise<void>((r) => {
        release = r;
      });
      held.push(release);
      holds.push({ match, reached, wait });
      return { reached: reachedP, release };
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const release of held) release();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Posts a batch of events the way HubSpot does: JSON array body, signed with
 * `X-HubSpot-Signature-v3` = base64 HMAC-SHA256(client secret, method + URI + body + timestamp).
 * Computed here independently of the server's verifier.
 */
export async function sendHubSpotWebhook(
  url: string,
  clientSecret: string,
  events: unknown[],
  options: { timestamp?: number; signature?: string } = {},
): Promise<{ status: number; body: unknown }> {
  const body = JSON.stringify(events);
  const timestamp = String(options.timestamp ?? Date.now());
  const signature =
    options.signature ??
    createHmac('sha256', clientSecret).update(`POST${url}${body}${timestamp}`, 'utf8').digest('base64');
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hubspot-signature-v3': signature,
      'x-hubspot-request-timestamp': timestamp,
    },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** A deal.propertyChange event in HubSpot's webhook shape. */
export function dealChange(
  portalId: string,
  dealId: string,
  propertyName: 'dealstage' | 'hubspot_owner_id',
  propertyValue: string,
  eventId = Math.floor(Math.random() * 1e9),
) {
  return {
    eventId,
    subscriptionId: 2_345_678,
    portalId: Number(portalId),
    appId: 1_160_452,
    occurredAt: Date.now(),
    subscriptionType: 'deal.propertyChange',
    attemptNumber: 0,
    objectId: Number(dealId),
    propertyName,
    propertyValue,
    changeSource: 'CRM_UI',
    sourceId: 'userId:1234567',
  };
}
