import { randomUUID } from 'node:crypto';
import type { HubSpotTestResult, LeadStatus } from '@leaddesk/shared';
import type { BrandingService } from '../../branding/branding-service.js';
import type { SecretBox } from '../../channels/settings/secret-box.js';
import type { Sql } from '../../db/sql.js';
import { type JobContext, type Jobs, PermanentJobError } from '../../jobs/job-queue.js';
import type { Logger } from '../../logger.js';
import { type CrmSyncRow, CrmSyncStore, type PushedState } from '../crm-sync-store.js';
import { HubSpotClient, HubSpotError } from './hubspot-client.js';
import { type HubSpotConnection, loadHubSpotConnection, PROVIDER } from './hubspot-connection.js';
import {
  type ConversationForCrm,
  changed,
  contactProperties,
  dealProperties,
  hashOf,
  LEAD_ID_PROPERTY,
  type LeadForCrm,
  leadFacts,
  noteBody,
} from './hubspot-payload.js';
import type { HubSpotRateLimiter } from './hubspot-rate-limit.js';

export const CRM_QUEUE = 'crm';
export const SYNC_LEAD_JOB = 'hubspot.sync-lead';
export const SWEEP_JOB = 'hubspot.sweep';
export const PREPARE_JOB = 'hubspot.prepare-properties';
const SYNC_ATTEMPTS = 5;

export interface SyncLeadJob {
  clientId: string;
  leadId: string;
  /** The lead's `requested_version` this job pushes (older jobs of a burst do nothing). */
  version: number;
}

export interface HubSpotSyncOptions {
  sql: Sql;
  box: SecretBox | null;
  jobs: Jobs;
  logger: Logger;
  limiter: HubSpotRateLimiter;
  baseUrl: string;
  /** Where links to conversations point (PUBLIC_URL). */
  publicUrl: string;
  delayMs: number;
  leaseMs: number;
  sweepMs: number;
  timeoutMs: number;
  /** The client's product name labels the properties and notes it creates (white-label, docs/white-label.md). */
  branding: Pick<BrandingService, 'forClient'>;
}

/**
 * Pushes leads to HubSpot: contact upserted by email or phone (search first,
 * a 409 resolved to the existing contact), a deal in the mapped stage
 * associated with it, and the conversation summary as a note. One job per
 * change, coalesced per lead by version; one process at a time per lead
 * (lease); what each step created is saved at once, and deals and contacts
 * carry the lead's id, so a worker killed mid-sync leaves the lead pending and
 * the next try finishes it without duplicates.
 */
export class HubSpotSync {
  readonly store: CrmSyncStore;
  /** This process, as the holder of leases. */
  private readonly owner = `${process.pid}-${randomUUID().slice(0, 8)}`;

  constructor(private readonly options: HubSpotSyncOptions) {
    this.store = new CrmSyncStore(options.sql, PROVIDER);
  }

  connection(clientId: string): Promise<HubSpotConnection | null> {
    return loadHubSpotConnection(this.options.sql, this.options.box, clientId);
  }

  clientFor(connection: HubSpotConnection): HubSpotClient {
    return new HubSpotClient({
      baseUrl: this.options.baseUrl,
      accessToken: connection.accessToken,
      limiter: this.options.limiter,
      tenantKey: connection.clientId,
      timeoutMs: this.options.timeoutMs,
    });
  }

  /** A lead changed: pending now, pushed after the coalescing delay. No-op for tenants without HubSpot. */
  async request(clientId: string, leadId: string, options: { force?: boolean } = {}): Promise<void> {
    const connected = await this.options.sql.query<Array<{ enabled: boolean }>>(
      `select (settings->>'enabled')::boolean as enabled from crm_connections where client_id = ? and provider = ?`,
      [clientId, PROVIDER],
    );
    if (!connected[0] || (!connected[0].enabled && !options.force)) return;
    const version = await this.store.request(clientId, leadId);
    if (version !== null) await this.enqueue({ clientId, leadId, version }, this.options.delayMs);
  }

  private enqueue(job: SyncLeadJob, delayMs: number, suffix = ''): Promise<void> {
    return this.options.jobs.add(CRM_QUEUE, SYNC_LEAD_JOB, job, {
      jobId: `hubspot-sync-${job.leadId}-${job.version}${suffix}`,
      delayMs,
      attempts: SYNC_ATTEMPTS,
    });
  }

  /** Creates the Lead Desk properties in the background (first connect, a new token or new property names). */
  enqueuePrepare(clientId: string): Promise<void> {
    return this.options.jobs.add(
      CRM_QUEUE,
      PREPARE_JOB,
      { clientId },
      { jobId: `hubspot-prepare-${clientId}-${Date.now()}` },
    );
  }

  /** A tenant's backlog was marked pending: queue it now rather than at the next periodic sweep. */
  enqueueSweep(clientId: string): Promise<void> {
    return this.options.jobs.add(
      CRM_QUEUE,
      SWEEP_JOB,
      { clientId },
      { jobId: `hubspot-sweep-${clientId}-${Date.now()}` },
    );
  }

  async handlePrepare(clientId: string): Promise<void> {
    const connection = await this.connection(clientId);
    if (!connection || connection.propertiesReadyAt) return;
    await this.prepareProperties(connection);
  }

  /** Queues every lead left pending without a live lease (optionally one tenant's, e.g. a backlog). */
  async sweep(clientId?: string): Promise<number> {
    const slot = Math.floor(Date.now() / this.options.sweepMs);
    let queued = 0;
    for (;;) {
      const rows = await this.store.stale({
        clientId,
        // A change inside its coalescing delay already has its job.
        olderThanMs: clientId ? 0 : this.options.delayMs + 1000,
        limit: 500,
      });
      const fresh = rows.filter((r) => !this.swept.has(`${r.lead_id}-${r.requested_version}-${slot}`));
      for (const r of fresh) {
        this.swept.add(`${r.lead_id}-${r.requested_version}-${slot}`);
        // Another process's sweep in the same slot adds the same job id: one job.
        await this.enqueue(
          { clientId: r.client_id, leadId: r.lead_id, version: r.requested_version },
          0,
          `-sweep-${slot}`,
        );
      }
      queued += fresh.length;
      if (rows.length < 500 || fresh.length === 0) break;
    }
    if (this.swept.size > 10_000) this.swept.clear();
    return queued;
  }
  private readonly swept = new Set<string>();

  async handle(job: JobContext<SyncLeadJob>): Promise<void> {
    const { clientId, leadId, version } = job.data;
    const row = await this.store.get(clientId, leadId);
    // Done already, or a newer change has its own job (the burst is pushed once, by the last).
    if (!row || row.synced_version >= version || row.requested_version > version) return;
    const connection = await this.connection(clientId);
    if (!connection?.enabled) {
      await this.store.fail(clientId, leadId, 'none', 'HubSpot is not connected', true);
      return;
    }
    // One lease holder per run: two jobs of this process never sync one lead at once either.
    const owner = `${this.owner}-${randomUUID().slice(0, 8)}`;
    const claimed = await this.store.claim(clientId, leadId, owner, this.options.leaseMs);
    // Another process is syncing this lead; it sees the newer version when it finishes.
    if (!claimed) return;
    try {
      await this.push(owner, connection, claimed, clientId, leadId);
      const newer = await this.store.finish(clientId, leadId, owner, version);
      // A change came while this run held the lease (its own job found the lease taken): push it now.
      if (newer !== null) await this.enqueue({ clientId, leadId, version: newer }, 0, `-after-${version}`);
    } catch (err) {
      const retryable = !(err instanceof HubSpotError) || err.retryable;
      const final = !retryable || job.attempt >= SYNC_ATTEMPTS;
      const reason = err instanceof HubSpotError ? `HubSpot ${err.status || 'network'}: ${err.message}` : String(err);
      await this.store.fail(clientId, leadId, owner, reason, final);
      this.options.logger.warn({ clientId, leadId, err: reason, final }, 'HubSpot sync failed');
      if (!retryable) throw new PermanentJobError(reason);
      throw err;
    }
  }

  private async push(
    owner: string,
    connection: HubSpotConnection,
    row: CrmSyncRow,
    clientId: string,
    leadId: string,
  ): Promise<void> {
    const knownContactId = row.contact_id;
    const knownDealId = row.deal_id;
    const lead = await this.loadLead(clientId, leadId);
    if (!lead) return;
    const hubspot = this.clientFor(connection);
    if (!connection.propertiesReadyAt) await this.prepareProperties(connection, hubspot);
    const conversation = await this.loadConversation(clientId, leadId);
    const link = conversation ? `${this.options.publicUrl}/dashboard/inbox/${conversation.id}` : null;
    const facts = leadFacts(lead, link);
    const pushed: PushedState = { ...row.pushed };
    const save = (ids: { contactId?: string; dealId?: string }) =>
      this.store.progress(clientId, leadId, owner, { ...ids, pushed });

    // Contact: the one we know, else search by email, phone or the lead's id, else create (409: it exists).
    const contact = contactProperties(lead, facts, connection.properties);
    let contactId = knownContactId;
    if (!contactId) {
      const found = await hubspot.searchContacts({ email: lead.email, phone: lead.phone, leadId: lead.id });
      contactId = found[0]?.id ?? null;
      if (!contactId) {
        try {
          contactId = (await hubspot.createContact(contact)).id;
          pushed.contact = contact;
        } catch (err) {
          const existing = err instanceof HubSpotError ? err.existingId() : null;
          if (!existing) throw err;
          contactId = existing;
        }
      }
      await save({ contactId });
    }
    const contactChanges = changed(contact, pushed.contact);
    if (Object.keys(contactChanges).length) {
      await hubspot.updateContact(contactId, contactChanges);
      pushed.contact = contact;
      await save({});
    }

    // Deal: the one we know, else the one a killed earlier try created (it carries the lead's id), else a new one.
    const deal = dealProperties(lead, facts, connection.properties, {
      pipelineId: connection.pipelineId,
      stageId: connection.stages[lead.status],
    });
    let dealId = knownDealId;
    if (!dealId) {
      dealId = (await hubspot.searchDeals(LEAD_ID_PROPERTY, lead.id))[0]?.id ?? null;
      if (!dealId) {
        dealId = (await hubspot.createDeal(deal, contactId)).id;
        pushed.deal = deal;
      }
      await save({ dealId });
    }
    const dealChanges = changed(deal, pushed.deal);
    if (Object.keys(dealChanges).length) {
      await hubspot.updateDeal(dealId, dealChanges);
      pushed.deal = deal;
      await save({});
    }

    // Note: one per conversation, rewritten when the conversation said something new.
    if (conversation && (conversation.summary || conversation.lines.length)) {
      const noteHash = hashOf(JSON.stringify([conversation.summary, conversation.lines]));
      if (pushed.noteHash !== noteHash || pushed.noteConversationId !== conversation.id) {
        const product = (await this.options.branding.forClient(connection.clientId)).productName;
        const body = noteBody(lead, conversation, link, product);
        if (pushed.noteId && pushed.noteConversationId === conversation.id) {
          await hubspot.updateNote(pushed.noteId, body);
        } else {
          pushed.noteId = (await hubspot.createNote(body, new Date(), { contactId, dealId })).id;
          pushed.noteConversationId = conversation.id;
        }
        pushed.noteHash = noteHash;
        await save({});
      }
    }
  }

  /**
   * The property group and properties on contacts and deals (first connect; 409s are fine), labelled with the
   * client's product name; their internal names (`leaddesk_…`) stay, as existing mappings use them.
   */
  async prepareProperties(connection: HubSpotConnection, hubspot = this.clientFor(connection)): Promise<void> {
    const product = (await this.options.branding.forClient(connection.clientId)).productName;
    const group = { name: 'leaddesk', label: product };
    const labels: Record<string, string> = {
      score: `${product} score`,
      temperature: `${product} temperature`,
      evidence: `${product} evidence summary`,
      intent: `${product} intent`,
      service: `${product} service`,
      language: `${product} language`,
      sourceChannel: `${product} source channel`,
      conversationLink: `${product} conversation link`,
    };
    for (const objectType of ['contacts', 'deals']) {
      await hubspot.ensurePropertyGroup(objectType, group);
      const defs = [
        ...Object.entries(connection.properties).map(([field, name]) => ({
          name,
          label: labels[field] ?? name,
          type: field === 'score' ? 'number' : 'string',
          fieldType: field === 'score' ? 'number' : field === 'evidence' ? 'textarea' : 'text',
        })),
        { name: LEAD_ID_PROPERTY, label: `${product} lead id`, type: 'string', fieldType: 'text' },
      ];
      for (const def of defs) {
        await hubspot.ensureProperty(objectType, { ...def, groupName: group.name, description: `Set by ${product}` });
      }
    }
    await this.options.sql.query(
      'update crm_connections set properties_ready_at = now() where client_id = ? and provider = ?',
      [connection.clientId, PROVIDER],
    );
    connection.propertiesReadyAt = new Date();
  }

  /** "Test connection": the token reaches HubSpot and sees the deal pipelines. */
  async test(clientId: string): Promise<HubSpotTestResult> {
    const connection = await this.connection(clientId);
    if (!connection)
      return { ok: false, message: 'HubSpot is not connected: save a private-app token first', pipelines: [] };
    try {
      const pipelines = await this.clientFor(connection).listDealPipelines();
      const mine = pipelines.find((p) => p.id === connection.pipelineId);
      const stages = new Set(mine?.stages.map((s) => s.id) ?? []);
      const missing = [...new Set(Object.values(connection.stages))].filter((s) => !stages.has(s));
      if (!mine) {
        return { ok: false, message: `connected, but there is no deal pipeline "${connection.pipelineId}"`, pipelines };
      }
      if (missing.length) {
        return {
          ok: false,
          message: `connected, but pipeline "${mine.label}" has no stage ${missing.join(', ')}`,
          pipelines,
        };
      }
      return { ok: true, message: `connected: pipeline "${mine.label}" with ${mine.stages.length} stages`, pipelines };
    } catch (err) {
      const message =
        err instanceof HubSpotError
          ? err.status === 401
            ? 'HubSpot refused the token (401): check the private-app access token'
            : `HubSpot answered ${err.status || 'nothing'}: ${err.message}`
          : String(err);
      return { ok: false, message, pipelines: [] };
    }
  }

  private async loadLead(clientId: string, leadId: string): Promise<LeadForCrm | null> {
    const rows = await this.options.sql.query<
      Array<Omit<LeadForCrm, 'scoreEvidence'> & { score_evidence: LeadForCrm['scoreEvidence'] }>
    >(
      `select id, name, email, phone, language, source, qualification, score, temperature, score_evidence, status
       from leads where id = ? and client_id = ?`,
      [leadId, clientId],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      ...r,
      status: r.status as LeadStatus,
      scoreEvidence: r.score_evidence ?? [],
      qualification: r.qualification ?? { custom: {} },
    };
  }

  private async loadConversation(clientId: string, leadId: string): Promise<ConversationForCrm | null> {
    const conv = await this.options.sql.query<Array<{ id: string; summary: string | null }>>(
      `select id, summary from conversations where client_id = ? and lead_id = ?
       order by last_message_at desc nulls last, created_at desc limit 1`,
      [clientId, leadId],
    );
    const c = conv[0];
    if (!c) return null;
    const lines = await this.options.sql.query<Array<{ role: string; content: string }>>(
      `select role, content from (
         select role, content, seq from messages
         where client_id = ? and conversation_id = ? and role in ('visitor', 'ai', 'staff')
         order by seq desc limit 12) m order by seq`,
      [clientId, c.id],
    );
    return { id: c.id, summary: c.summary, lines };
  }
}
