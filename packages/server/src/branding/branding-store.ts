import type { Sql } from '../db/sql.js';

/** The rows behind branding: raw SQL (clients.branding is not mapped on the entity). */
export interface BrandOwner {
  agencyId: string | null;
  clientId: string | null;
}

export interface DomainRow {
  host: string;
  createdAt: string;
}

export class BrandingStore {
  constructor(private readonly sql: Pick<Sql, 'query'>) {}

  async ownerOfHost(host: string): Promise<BrandOwner | null> {
    const rows = await this.sql.query<Array<{ agency_id: string | null; client_id: string | null }>>(
      'select agency_id, client_id from brand_domains where host = ?',
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
         where d.client_id = ? or d.agency_id = (select agency_id from clients where id = ?)
         order by (d.client_id is null), d.host limit 1`,
      [clientId, clientId],
    );
    return rows[0]?.host ?? null;
  }

  async domainOfAgency(agencyId: string): Promise<string | null> {
    const rows = await this.sql.query<Array<{ host: string }>>(
      'select host from brand_domains where agency_id = ? order by host limit 1',
      [agencyId],
    );
    return rows[0]?.host ?? null;
  }

  async domains(owner: BrandOwner): Promise<DomainRow[]> {
    const rows = await this.sql.query<Array<{ host: string; created_at: Date }>>(
      owner.agencyId
        ? 'select host, created_at from brand_domains where agency_id = ? order by host'
        : 'select host, created_at from brand_domains where client_id = ? order by host',
      [owner.agencyId ?? owner.clientId],
    );
    return rows.map((r) => ({ host: r.host, createdAt: new Date(r.created_at).toISOString() }));
  }

  /** False when the host is taken (by anyone: the caller must not learn by whom). */
  async addDomain(host: string, owner: BrandOwner): Promise<boolean> {
    const rows = await this.sql.query<Array<{ host: string }>>(
      `insert into brand_domains (host, agency_id, client_id) values (?, ?, ?)
         on conflict (host) do nothing returning host`,
      [host, owner.agencyId, owner.clientId],
    );
    return rows.length > 0;
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
