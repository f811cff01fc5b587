import type { EffectiveBranding } from '@leaddesk/shared';
import type { Orm } from '../db/orm.js';
import { type Sql, sqlOf } from '../db/sql.js';
import { BrandingStore, type BrandOwner } from './branding-store.js';
import { normaliseHost, resolveBranding } from './resolve-branding.js';

/** What a Host header resolves to: the branding, and whose it is (null: the deployment's own). */
export interface HostBranding {
  branding: EffectiveBranding;
  owner: BrandOwner | null;
}

/**
 * Effective branding by Host header (dashboard, OpenAPI document), by client (emails, widget) or by agency
 * (agency staff's emails). Resolutions are kept `ttlMs` per process: with several processes a change shows
 * everywhere within that time (and at once in the process that made it, which forgets everything it knew).
 */
export class BrandingService {
  readonly store: BrandingStore;
  private readonly cache = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(
    sql: Pick<Sql, 'query'>,
    readonly defaults: EffectiveBranding,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.store = new BrandingStore(sql);
  }

  forHost(host: string | undefined): Promise<HostBranding> {
    const name = normaliseHost(host);
    if (!name) return Promise.resolve({ branding: this.defaults, owner: null });
    return this.cached(`host:${name}`, async () => {
      const owner = await this.store.ownerOfHost(name);
      if (!owner) return { branding: this.defaults, owner: null };
      const branding = owner.clientId ? await this.forClient(owner.clientId) : await this.forAgency(owner.agencyId);
      return { branding, owner };
    });
  }

  forClient(clientId: string): Promise<EffectiveBranding> {
    return this.cached(`client:${clientId}`, async () => {
      const layers = await this.store.clientLayers(clientId);
      return layers ? resolveBranding(this.defaults, layers.agency, layers.client) : this.defaults;
    });
  }

  forAgency(agencyId: string | null | undefined): Promise<EffectiveBranding> {
    if (!agencyId) return Promise.resolve(this.defaults);
    return this.cached(`agency:${agencyId}`, async () =>
      resolveBranding(this.defaults, await this.store.agencyBranding(agencyId)),
    );
  }

  /** The brand of a staff account: its client's, else its agency's, else the deployment's. */
  forUser(user: { clientId: string | null; agencyId: string | null }): Promise<EffectiveBranding> {
    if (user.clientId) return this.forClient(user.clientId);
    return this.forAgency(user.agencyId);
  }

  /**
   * Where links in a white-labelled email point: `https://<brand domain>` of the client (or its agency), or
   * null for the deployment's own PUBLIC_URL. Brand domains come from the database, never from a request's
   * Host header, which the caller chooses.
   */
  async linkOrigin(user: { clientId: string | null; agencyId: string | null }): Promise<string | null> {
    const host = user.clientId
      ? await this.store.domainOfClient(user.clientId)
      : user.agencyId
        ? await this.store.domainOfAgency(user.agencyId)
        : null;
    return host ? `https://${host}` : null;
  }

  /** After a change: this process reads everything again at once (others within the TTL). */
  forget(): void {
    this.cache.clear();
  }

  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const at = this.now();
    const hit = this.cache.get(key);
    if (hit && at - hit.at < this.ttlMs) return hit.value as Promise<T>;
    const value = load();
    if (this.ttlMs > 0) {
      this.cache.set(key, { at, value });
      // A failed read is not remembered.
      value.catch(() => this.cache.delete(key));
      if (this.cache.size > 10_000) this.cache.clear();
    }
    return value;
  }
}

const services = new WeakMap<object, BrandingService>();

/** One branding service per database (like `sqlOf`): every module of a process shares its cache. */
export function brandingOf(ctx: {
  db: { orm: Orm };
  config: { branding: { defaults: EffectiveBranding; cacheTtlMs: number } };
}): BrandingService {
  let service = services.get(ctx.db.orm);
  if (!service) {
    const { defaults, cacheTtlMs } = ctx.config.branding;
    service = new BrandingService(sqlOf(ctx.db.orm), defaults, cacheTtlMs);
    services.set(ctx.db.orm, service);
  }
  return service;
}
