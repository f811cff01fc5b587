import type { Sql } from '../db/sql.js';

/** The rows behind branding: raw SQL (clients.branding is not mapped on the entity). */
export interface BrandOwner {
  agencyId: string | null;
  clientId: string | null;
}

/** A brand domain row (docs/white-label.md, "Domains"). */
export interface DomainRow {
  host: string;
  status: 'pending' | 'verified';
  /** Null for the domains accepted before verification existed. */
  token: string | null;
  createdAt: Date;
  verifiedAt: Date | null;
  expiresAt: Date | null;
  checkedAt: Date | null;
  lastError: string | null;
  /** Verified only: the first re-check that no longer found the TXT record (null while it is there). */
  failingSince: Date | null;
}

const DOMAIN_COLUMNS =
  'host, status, verification_token, created_at, verified_at, expires_at, checked_at, last_error, failing_since';
interface RawDomain {
  host: string;
  status: 'pending' | 'verified';
  verification_token: string | null;
  created_at: Date | string;
  verified_at: Date | string | null;
  expires_at: Date | string | null;
  checked_at: Date | string | null;
  last_error: string | null;
  failing_since: Date | string | null;
}
const date = (v: Date | string | null) => (v === null ? null : new Date(v));
const toRow = (r: RawDomain): DomainRow => ({
  host: r.host,
  status: r.status,
  token: r.verification_token,
  createdAt: new Date(r.created_at),
  verifiedAt: date(r.verified_at),
  expiresAt: date(r.expires_at),
  checkedAt: date(r.checked_at),
  lastError: r.last_error,
  failingSince: date(r.failing_since),
});
/** A domain owner's notice to send: its record went missing (`failing`), or stayed missing past the grace (`lost`). */
export interface DueNotice {
  host: string;
  owner: BrandOwner;
  kind: 'failing' | 'lost';
  token: string | null;
  failingSince: Date;
  /** Lost only: until when the owner may verify again before anyone may claim the host. */
  expiresAt: Date | null;
  lastError: string | null;
  claimedAt: Date;
}

/** The claim that holds a host, whoever made it. */
export interface DomainHolder {
  owner: BrandOwner;
  status: 'pending' | 'verified';
  token: string | null;
}

const ownerWhere = (owner: BrandOwner) => (owner.agencyId ? 'agency_id = ?' : 'client_id = ?');
const ownerId = (owner: BrandOwner) => owner.agencyId ?? owner.clientId;

export class BrandingStore {
  constructor(private readonly sql: Pick<Sql, 'query'>) {}

  async ownerOfHost(host: string): Promise<BrandOwner | null> {
    const rows = await this.sql.query<Array<{ agency_id: string | null; client_id: string | null }>>(
      "select agency_id, client_id from brand_domains where host = ? and status = 'verified'",
      [host],
    );
    const row = rows[0];
    return row ? { agencyId: row.agency_id, clientId: row.client_id } : null;
  }

  /** A client's own branding and its agency's (null when the client does not exist). */
  async clientLayers(
    clientId: string,
  ): Promise<{ agencyId: string | null; agency: unknown; client: unknown; name: string } | null> {
    const rows = await this.sql.query<
      Array<{ agency_id: string | null; agency_branding: unknown; branding: unknown; name: string }>
    >(
      `select c.agency_id, a.branding as agency_branding, c.branding, c.name
         from clients c left join agencies a on a.id = c.agency_id where c.id = ?`,
      [clientId],
    );
    const row = rows[0];
    return row ? { agencyId: row.agency_id, agency: row.agency_branding, client: row.branding, name: row.name } : null;
  }

  async agencyBranding(agencyId: string): Promise<unknown | null> {
    const rows = await this.sql.query<Array<{ branding: unknown }>>('select branding from agencies where id = ?', [
      agencyId,
    ]);
    return rows[0] ? rows[0].branding : null;
  }

  async setClientBranding(clientId: string, branding: object): Promise<void> {
    await this.sql.query('update clients set branding = ?::jsonb, updated_at = now() where id = ?', [
      JSON.stringify(branding),
      clientId,
    ]);
  }

  async setAgencyBranding(agencyId: string, branding: object): Promise<boolean> {
    const rows = await this.sql.query<Array<{ id: string }>>(
      'update agencies set branding = ?::jsonb, updated_at = now() where id = ? returning id',
      [JSON.stringify(branding), agencyId],
    );
    return rows.length > 0;
  }

  /** The first brand domain of the client, else of its agency (for links in its emails). */
  async domainOfClient(clientId: string): Promise<string | null> {
    const rows = await this.sql.query<Array<{ host: string }>>(
      `select d.host from brand_domains d
         where d.status = 'verified'
           and (d.client_id = ? or d.agency_id = (select agency_id from clients where id = ?))
         order by (d.client_id is null), d.host limit 1`,
      [clientId, clientId],
    );
    return rows[0]?.host ?? null;
  }

  async domainOfAgency(agencyId: string): Promise<string | null> {
    const rows = await this.sql.query<Array<{ host: string }>>(
      "select host from brand_domains where agency_id = ? and status = 'verified' order by host limit 1",
      [agencyId],
    );
    return rows[0]?.host ?? null;
  }

  async domains(owner: BrandOwner): Promise<DomainRow[]> {
    const rows = await this.sql.query<RawDomain[]>(
      `select ${DOMAIN_COLUMNS} from brand_domains where ${ownerWhere(owner)} order by host`,
      [ownerId(owner)],
    );
    return rows.map(toRow);
  }

  async domain(host: string, owner: BrandOwner): Promise<DomainRow | null> {
    const rows = await this.sql.query<RawDomain[]>(
      `select ${DOMAIN_COLUMNS} from brand_domains where host = ? and ${ownerWhere(owner)}`,
      [host, ownerId(owner)],
    );
    return rows[0] ? toRow(rows[0]) : null;
  }

  /**
   * A pending claim. False when the host is held (by anyone: the caller must not learn by whom): verified, or
   * claimed and not yet expired. An expired pending claim, whoever made it, is replaced by this one whole.
   */
  async addDomain(host: string, owner: BrandOwner, claim: { token: string; now: Date; expiresAt: Date }) {
    const rows = await this.sql.query<Array<{ host: string }>>(
      `insert into brand_domains (host, agency_id, client_id, status, verification_token, created_at, expires_at)
         values (?, ?, ?, 'pending', ?, ?, ?)
       on conflict (host) do update set agency_id = excluded.agency_id, client_id = excluded.client_id,
         status = 'pending', verification_token = excluded.verification_token, created_at = excluded.created_at,
         expires_at = excluded.expires_at, verified_at = null, checked_at = null, last_error = null,
         failing_since = null, owner_notice = null, notice_claimed_at = null
         where brand_domains.status = 'pending' and brand_domains.expires_at <= ?
       returning host`,
      [host, owner.agencyId, owner.clientId, claim.token, claim.now, claim.expiresAt, claim.now],
    );
    return rows.length > 0;
  }

  /**
   * The outcome of a TXT lookup, on the claim it was made for (same token, still pending): a claim replaced
   * or removed meanwhile is left alone. True when this call verified it.
   */
  async recordCheck(host: string, token: string, now: Date, error: string | null): Promise<boolean> {
    const rows = await this.sql.query<Array<{ host: string }>>(
      error === null
        ? `update brand_domains set status = 'verified', verified_at = ?, checked_at = ?, expires_at = null,
             last_error = null, failing_since = null, owner_notice = null, notice_claimed_at = null where host = ? and verification_token = ? and status = 'pending' returning host`
        : `update brand_domains set checked_at = ?, last_error = ?
             where host = ? and verification_token = ? and status = 'pending' returning host`,
      error === null ? [now, now, host, token] : [now, error.slice(0, 300), host, token],
    );
    return error === null && rows.length > 0;
  }

  /**
   * Up to `limit` pending claims not checked since `checkedBefore`, stamped checked now so that another
   * process (or a duplicate job) skips them: each claim is looked up once per round across processes.
   */
  async claimPendingChecks(now: Date, checkedBefore: Date, limit: number) {
    const rows = await this.sql.query<Array<{ host: string; verification_token: string }>>(
      `update brand_domains set checked_at = ? where host in (
         select host from brand_domains
          where status = 'pending' and verification_token is not null and expires_at > ?
            and (checked_at is null or checked_at < ?)
          order by checked_at nulls first limit ? for update skip locked)
       returning host, verification_token`,
      [now, now, checkedBefore, limit],
    );
    return rows.map((r) => ({ host: r.host, token: r.verification_token }));
  }

  /**
   * Up to `limit` verified domains with a verification value not looked up since `checkedBefore`, stamped
   * checked now (once per round across processes, as claimPendingChecks). Domains accepted before verification
   * existed have no value to look for and are never taken.
   */
  async claimVerifiedChecks(now: Date, checkedBefore: Date, limit: number) {
    const rows = await this.sql.query<Array<{ host: string; verification_token: string }>>(
      `update brand_domains set checked_at = ? where host in (
         select host from brand_domains
          where status = 'verified' and verification_token is not null and (checked_at is null or checked_at < ?)
          order by checked_at nulls first limit ? for update skip locked)
       returning host, verification_token`,
      [now, checkedBefore, limit],
    );
    return rows.map((r) => ({ host: r.host, token: r.verification_token }));
  }

  /**
   * A verified domain's re-check. Found: any failing streak ends. Missing or changed: the streak starts (or
   * goes on), and once it is older than `graceMs` the domain is pending again, unserved, holding its host for
   * `pendingTtlMs` with the same value to publish. Returns the status it is left in (null: no such row).
   */
  async recordReverify(
    host: string,
    token: string,
    now: Date,
    error: string | null,
    limits: { graceMs: number; pendingTtlMs: number },
  ): Promise<'verified' | 'pending' | null> {
    if (error === null) {
      const rows = await this.sql.query<Array<{ status: 'verified' }>>(
        `update brand_domains set failing_since = null, last_error = null, owner_notice = null, notice_claimed_at = null
          where host = ? and verification_token = ? and status = 'verified' returning status`,
        [host, token],
      );
      return rows[0]?.status ?? null;
    }
    const lapsed = 'coalesce(failing_since, ?::timestamptz) <= ?::timestamptz';
    const cutoff = new Date(now.getTime() - limits.graceMs);
    const rows = await this.sql.query<Array<{ status: 'verified' | 'pending' }>>(
      `update brand_domains set last_error = ?, failing_since = coalesce(failing_since, ?::timestamptz),
          status = case when ${lapsed} then 'pending' else status end,
          verified_at = case when ${lapsed} then null else verified_at end,
          expires_at = case when ${lapsed} then ?::timestamptz else expires_at end
        where host = ? and verification_token = ? and status = 'verified' returning status`,
      [
        error.slice(0, 300),
        now,
        now,
        cutoff,
        now,
        cutoff,
        now,
        cutoff,
        new Date(now.getTime() + limits.pendingTtlMs),
        host,
        token,
      ],
    );
    return rows[0]?.status ?? null;
  }

  /** Who holds a host now (verified or pending, expired or not), and the claim's value; null when nobody does. */
  async holder(host: string): Promise<DomainHolder | null> {
    const rows = await this.sql.query<
      Array<{
        agency_id: string | null;
        client_id: string | null;
        status: 'pending' | 'verified';
        verification_token: string | null;
      }>
    >('select agency_id, client_id, status, verification_token from brand_domains where host = ?', [host]);
    const row = rows[0];
    return row
      ? {
          owner: { agencyId: row.agency_id, clientId: row.client_id },
          status: row.status,
          token: row.verification_token,
        }
      : null;
  }

  /**
   * Moves a host to `to`, verified with `token` (the value it proved), but only from the very claim that was
   * read before the lookup (same owner, same value): if the host changed hands or was claimed anew meanwhile,
   * nothing changes and the caller looks again. One statement, so a crash leaves the host with one owner.
   */
  async moveDomain(host: string, from: DomainHolder, to: BrandOwner, token: string, now: Date): Promise<boolean> {
    const rows = await this.sql.query<Array<{ host: string }>>(
      `update brand_domains set agency_id = ?, client_id = ?, status = 'verified', verification_token = ?,
          created_at = ?, verified_at = ?, expires_at = null, checked_at = ?, last_error = null, failing_since = null,
          owner_notice = null, notice_claimed_at = null
        where host = ? and agency_id is not distinct from ?::uuid and client_id is not distinct from ?::uuid
          and verification_token is not distinct from ?
        returning host`,
      [to.agencyId, to.clientId, token, now, now, now, host, from.owner.agencyId, from.owner.clientId, from.token],
    );
    return rows.length > 0;
  }

  /**
   * Up to `limit` notices due (docs/white-label.md, "When the record goes missing"): a verified domain in a
   * failing streak not yet told, or one lost to it (pending again, failing_since kept) not yet told so. Each is
   * leased to this caller (stamped `now`) unless another holds a lease taken after `leaseBefore`.
   */
  async claimNotices(now: Date, leaseBefore: Date, limit: number): Promise<DueNotice[]> {
    const rows = await this.sql.query<
      Array<{
        host: string;
        agency_id: string | null;
        client_id: string | null;
        status: 'pending' | 'verified';
        verification_token: string | null;
        failing_since: Date | string;
        expires_at: Date | string | null;
        last_error: string | null;
      }>
    >(
      `update brand_domains set notice_claimed_at = ? where host in (
         select host from brand_domains
          where failing_since is not null
            and ((status = 'verified' and owner_notice is null) or (status = 'pending' and owner_notice is distinct from 'lost'))
            and (notice_claimed_at is null or notice_claimed_at < ?)
          order by failing_since limit ? for update skip locked)
       returning host, agency_id, client_id, status, verification_token, failing_since, expires_at, last_error`,
      [now, leaseBefore, limit],
    );
    return rows.map((r) => ({
      host: r.host,
      owner: { agencyId: r.agency_id, clientId: r.client_id },
      kind: r.status === 'verified' ? 'failing' : 'lost',
      token: r.verification_token,
      failingSince: new Date(r.failing_since),
      expiresAt: date(r.expires_at),
      lastError: r.last_error,
      claimedAt: now,
    }));
  }

  /** The notice went out: recorded, and the lease ends (only this caller's lease: a later one is not undone). */
  async noticeSent(notice: DueNotice): Promise<void> {
    await this.sql.query(
      'update brand_domains set owner_notice = ?, notice_claimed_at = null where host = ? and notice_claimed_at = ?',
      [notice.kind, notice.host, notice.claimedAt],
    );
  }

  /** The admins to tell about the owner's domains (client admins, or the agency's), who can still sign in. */
  async ownerAdmins(owner: BrandOwner): Promise<string[]> {
    const rows = await this.sql.query<Array<{ email: string }>>(
      `select email from users where ${ownerWhere(owner)} and role = 'admin' and disabled_at is null order by email`,
      [ownerId(owner)],
    );
    return rows.map((r) => r.email);
  }

  /** Unverified claims past their time: nobody's any more. */
  async dropExpired(now: Date): Promise<number> {
    const rows = await this.sql.query<Array<{ host: string }>>(
      `delete from brand_domains where status = 'pending' and expires_at <= ? returning host`,
      [now],
    );
    return rows.length;
  }

  async removeDomain(host: string, owner: BrandOwner): Promise<boolean> {
    const rows = await this.sql.query<Array<{ host: string }>>(
      owner.agencyId
        ? 'delete from brand_domains where host = ? and agency_id = ? returning host'
        : 'delete from brand_domains where host = ? and client_id = ? returning host',
      [host, owner.agencyId ?? owner.clientId],
    );
    return rows.length > 0;
  }
}
