import { createHmac, randomBytes } from 'node:crypto';
import type { BrandDomain } from '@leaddesk/shared';
import { deriveKey, resolveAppSecret } from '../auth/app-secret.js';
import type { Config } from '../config/config.js';
import type { Orm } from '../db/orm.js';
import type { Logger } from '../logger.js';
import { type BrandingService, brandingOf } from './branding-service.js';
import type { BrandOwner, DomainHolder, DomainRow } from './branding-store.js';
import { DomainVerifier } from './domain-verifier.js';

export interface BrandDomainsOptions {
  branding: BrandingService;
  verifier: DomainVerifier;
  /** How long an unverified claim holds its host. */
  pendingTtlMs: number;
  /** How often a verified domain is looked up again (0: never), and how long its record may be missing. */
  reverifyMs: number;
  reverifyGraceMs: number;
  /** Keys the take-over values (derived from the app secret): each (host, claimant) has its own, unguessable. */
  takeoverKey: Uint8Array;
  now?: () => Date;
}

/** Pending claims looked up per re-check round (the rest wait for the next round, least recently checked first). */
const RECHECK_BATCH = 50;

/**
 * Brand domains with proof of ownership (docs/white-label.md, "Domains"): a claim is pending with a random
 * value its owner publishes as a DNS TXT record; a lookup that finds it verifies the claim, and only verified
 * hosts are served branded (BrandingStore.ownerOfHost). A pending claim holds its host for `pendingTtlMs`;
 * after that another tenant's claim replaces it, and the re-check drops it. A verified domain is looked up
 * again every `reverifyMs`: a host sold or moved elsewhere must not keep showing the old tenant's brand, but a
 * record missing for a moment must not take a working domain down, so only a record missing for longer than
 * `reverifyGraceMs` makes the domain pending (and unserved) again.
 */
export class BrandDomains {
  private readonly now: () => Date;

  constructor(private readonly options: BrandDomainsOptions) {
    this.now = options.now ?? (() => new Date());
  }

  get branding(): BrandingService {
    return this.options.branding;
  }

  /** The TXT record's full name for a host. */
  recordName(host: string): string {
    return this.options.verifier.recordName(host);
  }

  private get store() {
    return this.options.branding.store;
  }

  /** False when the host is held by anyone (verified, or claimed and not expired). */
  claim(host: string, owner: BrandOwner): Promise<boolean> {
    const now = this.now();
    return this.store.addDomain(host, owner, {
      // 128 bits: not guessable, so nobody else can have published it before the claim.
      token: randomBytes(16).toString('hex'),
      now,
      expiresAt: new Date(now.getTime() + this.options.pendingTtlMs),
    });
  }

  /** Looks the TXT record up now; null when the owner has no such domain. A verified domain is not looked up again. */
  async verify(host: string, owner: BrandOwner): Promise<DomainRow | null> {
    const row = await this.store.domain(host, owner);
    if (!row || row.status === 'verified' || !row.token) return row;
    await this.check(host, row.token);
    return this.store.domain(host, owner);
  }

  /**
   * One round of the periodic re-check: drops expired claims, then looks up the pending claims not checked
   * within `minIntervalMs` (each once across processes: see claimPendingChecks). Returns what it did.
   */
  async recheck(minIntervalMs: number): Promise<RecheckRound> {
    const now = this.now();
    const dropped = await this.store.dropExpired(now);
    const due = await this.store.claimPendingChecks(now, new Date(now.getTime() - minIntervalMs), RECHECK_BATCH);
    const verified = (await inBatches(due, (d) => this.check(d.host, d.token))).filter(Boolean).length;
    const round: RecheckRound = { checked: due.length, verified, dropped, reverified: 0, failing: 0, lost: 0 };
    const { reverifyMs } = this.options;
    if (reverifyMs <= 0) return round;
    const stale = await this.store.claimVerifiedChecks(now, new Date(now.getTime() - reverifyMs), RECHECK_BATCH);
    for (const status of await inBatches(stale, (d) => this.reverify(d.host, d.token))) {
      if (status === 'ok') round.reverified++;
      else if (status === 'failing') round.failing++;
      else if (status === 'lost') round.lost++;
    }
    return round;
  }

  /**
   * The TXT value that moves `host` to `owner` when another tenant holds it (docs/white-label.md, "Moving a
   * domain"). Derived, not stored: the same for as long as the app secret stays, and nobody else's.
   */
  takeoverValue(host: string, owner: BrandOwner): string {
    const who = owner.agencyId ? `agency:${owner.agencyId}` : `client:${owner.clientId}`;
    return createHmac('sha256', this.options.takeoverKey).update(`${host}\0${who}`).digest('hex').slice(0, 32);
  }

  /** What to publish to move `host` here: `free` (nobody holds it: claim it), `own` (the caller does), or the record. */
  async takeoverRecord(host: string, owner: BrandOwner): Promise<TakeoverRecord> {
    const holder = await this.store.holder(host);
    if (!holder) return { state: 'free' };
    if (sameOwner(holder.owner, owner)) return { state: 'own' };
    return { state: 'held', record: this.record(host, this.takeoverValue(host, owner)) };
  }

  /**
   * Moves a host another tenant holds (pending, or verified) to the caller once the caller's own take-over
   * value is published at the host's TXT name: control of the DNS is the proof, as with a first claim. From
   * then on the re-check looks for the caller's value, and the former owner's record proves nothing.
   */
  async takeOver(host: string, owner: BrandOwner): Promise<TakeoverResult> {
    const holder = await this.store.holder(host);
    if (!holder) return { state: 'free' };
    if (sameOwner(holder.owner, owner)) return { state: 'own' };
    const value = this.takeoverValue(host, owner);
    const result = await this.options.verifier.check(host, value);
    if (!result.ok) return { state: 'unproven', reason: result.reason, lookupFailed: result.lookupFailed === true };
    if (!(await this.store.moveDomain(host, holder, owner, value, this.now()))) return { state: 'changed' };
    // No longer the former owner's brand: this process at once, others within the branding cache's TTL.
    this.options.branding.forget();
    const row = await this.store.domain(host, owner);
    return row ? { state: 'moved', row, from: holder } : { state: 'changed' };
  }

  private record(host: string, value: string): DomainRecord {
    return { type: 'TXT', name: this.options.verifier.recordName(host), value };
  }

  toDto(row: DomainRow): BrandDomain {
    const iso = (d: Date | null) => (d ? d.toISOString() : null);
    return {
      host: row.host,
      status: row.status,
      verification: row.token ? this.record(row.host, row.token) : null,
      createdAt: row.createdAt.toISOString(),
      verifiedAt: iso(row.verifiedAt),
      expiresAt: row.status === 'pending' ? iso(row.expiresAt) : null,
      checkedAt: iso(row.checkedAt),
      lastError: row.status === 'pending' || row.failingSince ? row.lastError : null,
      failingSince: row.status === 'verified' ? iso(row.failingSince) : null,
      stopsServingAt:
        row.status === 'verified' && row.failingSince
          ? new Date(row.failingSince.getTime() + this.options.reverifyGraceMs).toISOString()
          : null,
    };
  }

  async list(owner: BrandOwner): Promise<BrandDomain[]> {
    return (await this.store.domains(owner)).map((r) => this.toDto(r));
  }

  /** A verified domain's lookup; a failed lookup (not a missing record) changes nothing. */
  private async reverify(host: string, token: string): Promise<'ok' | 'failing' | 'lost' | 'unknown'> {
    const result = await this.options.verifier.check(host, token);
    if (!result.ok && result.lookupFailed) return 'unknown';
    const status = await this.store.recordReverify(host, token, this.now(), result.ok ? null : result.reason, {
      graceMs: this.options.reverifyGraceMs,
      pendingTtlMs: this.options.pendingTtlMs,
    });
    if (status === 'pending') {
      // No longer served branded: this process at once, others within the branding cache's TTL.
      this.options.branding.forget();
      return 'lost';
    }
    return result.ok ? 'ok' : status ? 'failing' : 'unknown';
  }

  private async check(host: string, token: string): Promise<boolean> {
    const result = await this.options.verifier.check(host, token);
    const verified = await this.store.recordCheck(host, token, this.now(), result.ok ? null : result.reason);
    // This process serves the host branded at once (others within the branding cache's TTL).
    if (verified) this.options.branding.forget();
    return verified;
  }
}

export interface RecheckRound {
  /** Pending claims looked up, verified, and expired ones dropped. */
  checked: number;
  verified: number;
  dropped: number;
  /** Verified domains looked up again: record still there, missing (still served), missing past the grace. */
  reverified: number;
  failing: number;
  lost: number;
}

type DomainRecord = { type: 'TXT'; name: string; value: string };
export type TakeoverRecord = { state: 'free' | 'own' } | { state: 'held'; record: DomainRecord };
export type TakeoverResult =
  | { state: 'free' }
  | { state: 'own' }
  | { state: 'changed' }
  | { state: 'unproven'; reason: string; lookupFailed: boolean }
  | { state: 'moved'; row: DomainRow; from: DomainHolder };

const sameOwner = (a: BrandOwner, b: BrandOwner) => a.agencyId === b.agencyId && a.clientId === b.clientId;

/** A few lookups at a time: each may wait for a slow DNS server. */
async function inBatches<T, R>(items: T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += 5) out.push(...(await Promise.all(items.slice(i, i + 5).map(fn))));
  return out;
}

const instances = new WeakMap<object, BrandDomains>();

/** One per database, like `brandingOf`: the routes and the re-check share it. */
export function brandDomainsOf(ctx: {
  db: { orm: Orm };
  config: Config;
  logger: Logger;
  clock?: () => Date;
}): BrandDomains {
  let domains = instances.get(ctx.db.orm);
  if (!domains) {
    const { domains: options } = ctx.config.branding;
    domains = new BrandDomains({
      branding: brandingOf(ctx),
      verifier: new DomainVerifier({
        txtLabel: options.txtLabel,
        servers: options.dnsServers,
        timeoutMs: options.dnsTimeoutMs,
      }),
      pendingTtlMs: options.pendingTtlMs,
      reverifyMs: options.reverifyMs,
      reverifyGraceMs: options.reverifyGraceMs,
      takeoverKey: deriveKey(resolveAppSecret(ctx.config, ctx.logger), 'brand-domain-takeover'),
      now: ctx.clock,
    });
    instances.set(ctx.db.orm, domains);
  }
  return domains;
}
