import type { CrmSyncState } from '@leaddesk/shared';
import type { Sql } from '../db/sql.js';

/**
 * Each lead's sync state per CRM (`crm_syncs`, migration 20261203040000):
 * versions to coalesce bursts and make jobs idempotent, a lease so one process
 * syncs a lead at a time, and what was last pushed. Every statement names the
 * tenant (`client_id`).
 */
export interface CrmSyncRow {
  lead_id: string;
  client_id: string;
  state: CrmSyncState;
  requested_version: number;
  synced_version: number;
  error: string | null;
  contact_id: string | null;
  deal_id: string | null;
  pushed: PushedState;
  lease_owner: string | null;
  lease_until: Date | null;
  requested_at: Date;
  synced_at: Date | null;
}

/** What the CRM holds as far as we know: only differences are sent. */
export interface PushedState {
  contact?: Record<string, string>;
  deal?: Record<string, string>;
  /** The conversation's note (one per conversation, updated when the conversation says more) and its content hash. */
  noteId?: string;
  noteConversationId?: string;
  noteHash?: string;
}

const COLUMNS = `lead_id, client_id, state, requested_version, synced_version, error, contact_id, deal_id, pushed,
  lease_owner, lease_until, requested_at, synced_at`;

export class CrmSyncStore {
  constructor(
    private readonly sql: Sql,
    private readonly provider: string,
  ) {}

  /** A change to push: the lead is pending at a new version (returned). */
  async request(clientId: string, leadId: string): Promise<number | null> {
    const rows = await this.sql.query<Array<{ requested_version: number }>>(
      `insert into crm_syncs (lead_id, provider, client_id, state, requested_version, requested_at, updated_at)
       select l.id, ?, l.client_id, 'pending', 1, now(), now() from leads l where l.id = ? and l.client_id = ?
       on conflict (lead_id, provider) do update set
         requested_version = crm_syncs.requested_version + 1, state = 'pending', requested_at = now(), updated_at = now()
       returning requested_version`,
      [this.provider, leadId, clientId],
    );
    return rows[0]?.requested_version ?? null;
  }

  /**
   * The tenant's backlog: every lead not synced (`all`: every lead) becomes
   * pending at a new version. Returns how many.
   */
  async requestBacklog(clientId: string, all: boolean): Promise<number> {
    const rows = await this.sql.query<Array<{ n: number }>>(
      `with up as (
         insert into crm_syncs (lead_id, provider, client_id, state, requested_version, requested_at, updated_at)
         select l.id, ?, l.client_id, 'pending', 1, now(), now() from leads l where l.client_id = ?
         on conflict (lead_id, provider) do update set
           requested_version = crm_syncs.requested_version + 1, state = 'pending', error = null,
           requested_at = now(), updated_at = now()
         where ? or crm_syncs.state <> 'synced'
         returning 1)
       select count(*)::int as n from up`,
      [this.provider, clientId, all],
    );
    return rows[0]?.n ?? 0;
  }

  async get(clientId: string, leadId: string): Promise<CrmSyncRow | null> {
    const rows = await this.sql.query<CrmSyncRow[]>(
      `select ${COLUMNS} from crm_syncs where lead_id = ? and client_id = ? and provider = ?`,
      [leadId, clientId, this.provider],
    );
    return rows[0] ?? null;
  }

  async findByDeal(clientId: string, dealId: string): Promise<CrmSyncRow | null> {
    const rows = await this.sql.query<CrmSyncRow[]>(
      `select ${COLUMNS} from crm_syncs where client_id = ? and provider = ? and deal_id = ? limit 1`,
      [clientId, this.provider, dealId],
    );
    return rows[0] ?? null;
  }

  /** Takes the lead's lease for one run (`owner` names the run), unless a live one is held. */
  async claim(clientId: string, leadId: string, owner: string, leaseMs: number): Promise<CrmSyncRow | null> {
    const rows = await this.sql.query<CrmSyncRow[]>(
      `update crm_syncs set lease_owner = ?, lease_until = now() + (? * interval '1 millisecond'), updated_at = now()
       where lead_id = ? and client_id = ? and provider = ?
         and (lease_until is null or lease_until < now())
       returning ${COLUMNS}`,
      [owner, leaseMs, leadId, clientId, this.provider],
    );
    return rows[0] ?? null;
  }

  /** Saves what a sync learned so far (ids, pushed properties): a crash after this does not redo it. */
  async progress(
    clientId: string,
    leadId: string,
    owner: string,
    change: { contactId?: string; dealId?: string; pushed: PushedState },
  ): Promise<void> {
    await this.sql.query(
      `update crm_syncs set contact_id = coalesce(?, contact_id), deal_id = coalesce(?, deal_id),
         pushed = ?::jsonb, updated_at = now()
       where lead_id = ? and client_id = ? and provider = ? and lease_owner = ?`,
      [
        change.contactId ?? null,
        change.dealId ?? null,
        JSON.stringify(change.pushed),
        leadId,
        clientId,
        this.provider,
        owner,
      ],
    );
  }

  /** The version is in the CRM. Pending still when a newer change came meanwhile (returned: its version). */
  async finish(clientId: string, leadId: string, owner: string, version: number): Promise<number | null> {
    const rows = await this.sql.query<Array<{ state: CrmSyncState; requested_version: number }>>(
      `update crm_syncs set synced_version = greatest(synced_version, ?),
         state = case when requested_version <= ? then 'synced' else 'pending' end,
         error = null, synced_at = now(), lease_owner = null, lease_until = null, updated_at = now()
       where lead_id = ? and client_id = ? and provider = ? and lease_owner = ?
       returning state, requested_version`,
      [version, version, leadId, clientId, this.provider, owner],
    );
    const row = rows[0];
    return row && row.state === 'pending' ? row.requested_version : null;
  }

  /** A try failed: `failed` when no retry follows, else still pending with the reason shown. */
  async fail(clientId: string, leadId: string, owner: string, error: string, final: boolean): Promise<void> {
    await this.sql.query(
      `update crm_syncs set error = ?, state = case when ? then 'failed' else state end,
         lease_owner = null, lease_until = null, updated_at = now()
       where lead_id = ? and client_id = ? and provider = ? and (lease_owner = ? or lease_owner is null)`,
      [error.slice(0, 1000), final, leadId, clientId, this.provider, owner],
    );
  }

  /** Records what the CRM told us it holds now (its webhooks), so our next push does not echo it back. */
  async heard(clientId: string, leadId: string, deal: Record<string, string>): Promise<void> {
    await this.sql.query(
      `update crm_syncs set pushed = jsonb_set(pushed, '{deal}', coalesce(pushed->'deal', '{}'::jsonb) || ?::jsonb),
         updated_at = now()
       where lead_id = ? and client_id = ? and provider = ?`,
      [JSON.stringify(deal), leadId, clientId, this.provider],
    );
  }

  /**
   * Leads left pending with no live lease (a killed worker, a lost job, a
   * backlog just requested), oldest first, optionally for one tenant. Not
   * those whose last try failed: their job's own retries (with backoff) own them.
   */
  async stale(options: {
    clientId?: string;
    olderThanMs: number;
    limit: number;
  }): Promise<Array<{ client_id: string; lead_id: string; requested_version: number }>> {
    return this.sql.query(
      `select client_id, lead_id, requested_version from crm_syncs
       where provider = ? and state = 'pending' and error is null and (lease_until is null or lease_until < now())
         and updated_at < now() - (? * interval '1 millisecond') ${options.clientId ? 'and client_id = ?' : ''}
       order by requested_at limit ?`,
      [this.provider, options.olderThanMs, ...(options.clientId ? [options.clientId] : []), options.limit],
    );
  }
}
