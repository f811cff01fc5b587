import type { LeadErasure } from '@leaddesk/shared';
import type { Sql } from '../db/sql.js';
import { AppError } from '../errors/app-error.js';
import { forgetInRollups, rollupInstantsOf } from '../reports/forget-rows.js';
import { deleteConversationTraces } from './conversation-traces.js';

type Tx = Pick<Sql, 'query'>;

/** The CRM records the lead had, as the sync stored them: what the CRM erasure job archives. */
export interface CrmTraces {
  contactIds: string[];
  dealIds: string[];
  noteIds: string[];
}

export interface ErasedLead {
  result: LeadErasure;
  /** The conversations deleted (ids), for the second pass (erase-sweep.ts). */
  conversationIds: string[];
  crm: CrmTraces;
}

/**
 * Erases one lead of one tenant in one transaction (issue 18). Erasure deletes
 * rather than anonymises: the lead row, its conversations and everything that
 * hangs off them by foreign key (messages, escalations, conversation events,
 * copilot drafts, call-back tasks, follow-up runs and sends, opt-outs,
 * booking offers, CRM sync state, tags, review requests), its bookings, and
 * the copies outside those keys (knowledge gaps, automation firings, the
 * outgoing webhook outbox, inbound provider payloads that name its contact).
 *
 * Safe beside other processes: the conversations are locked first (the order
 * the message path takes: conversation, then lead), then the lead, then the
 * conversations again, so one created meanwhile is taken too. A message or
 * reply being stored waits for the lock and then finds no conversation
 * (`ld_store_message` refuses it), and a new conversation cannot point at
 * the lead while it is locked; jobs queued for these rows carry ids only and
 * find nothing when they run.
 */
export async function eraseLead(sql: Sql, clientId: string, leadId: string, now = new Date()): Promise<ErasedLead> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await sql.transaction((tx) => eraseIn(tx, clientId, leadId, now));
    } catch (err) {
      // A reply or status change locking the same rows the other way round: PostgreSQL picks one; try again.
      if (attempt < 4 && isDeadlock(err)) continue;
      throw err;
    }
  }
}

async function eraseIn(tx: Tx, clientId: string, leadId: string, now: Date): Promise<ErasedLead> {
  const conversationsOf = async () =>
    (
      await tx.query<{ id: string }[]>(
        'select id from conversations where client_id = ? and lead_id = ? order by id for update',
        [clientId, leadId],
      )
    ).map((r) => r.id);
  await conversationsOf();
  const leads = await tx.query<
    { email: string | null; phone: string | null; handles: Record<string, string> | null }[]
  >('select email, phone, handles from leads where client_id = ? and id = ? for update', [clientId, leadId]);
  const lead = leads[0];
  if (!lead) throw AppError.notFound('lead');
  const conversationIds = await conversationsOf();

  const syncs = await tx.query<{ contact_id: string | null; deal_id: string | null; note_id: string | null }[]>(
    `select contact_id, deal_id, pushed->>'noteId' as note_id from crm_syncs where client_id = ? and lead_id = ?`,
    [clientId, leadId],
  );
  const crm: CrmTraces = {
    contactIds: unique(syncs.map((s) => s.contact_id)),
    dealIds: unique(syncs.map((s) => s.deal_id)),
    noteIds: unique(syncs.map((s) => s.note_id)),
  };

  const [counted] = await tx.query<{ n: number }[]>(
    'select count(*)::int as n from messages where client_id = ? and conversation_id = any(?::uuid[])',
    [clientId, conversationIds],
  );
  const rolledUp = await rollupInstantsOf(tx, clientId, conversationIds, [leadId]);
  const traces = await deleteConversationTraces(tx, clientId, conversationIds, [leadId]);
  const inbound = await deleteInboundPayloads(tx, clientId, lead);
  await tx.query(`delete from bookings where client_id = ? and (lead_id = ? or conversation_id = any(?::uuid[]))`, [
    clientId,
    leadId,
    conversationIds,
  ]);
  // Rows that point at the lead with "set null" rather than at one of its conversations.
  for (const table of ['callback_tasks', 'follow_up_runs', 'escalations', 'booking_offers']) {
    await tx.query(`delete from ${table} where client_id = ? and lead_id = ?`, [clientId, leadId]);
  }
  await tx.query('delete from conversations where client_id = ? and id = any(?::uuid[])', [clientId, conversationIds]);
  await tx.query('delete from leads where client_id = ? and id = ?', [clientId, leadId]);
  // The report rollups hold the lead's questions as text: their days are rewritten without them.
  await forgetInRollups(tx, clientId, rolledUp);
  return {
    crm,
    conversationIds,
    result: {
      leadId,
      erasedAt: now.toISOString(),
      removed: {
        conversations: conversationIds.length,
        messages: counted?.n ?? 0,
        ...traces,
        inboundWebhookPayloads: inbound,
      },
      crmDeletionQueued: false,
    },
  };
}

/**
 * Provider webhooks are kept as received (for retries and dead letters), with the sender's number or
 * address and the text. Those of this tenant that name the lead's contact go: matched by the email, the
 * phone's digits (providers write E.164 with or without "+") and the channel handles; short values are
 * skipped, they would match unrelated payloads.
 */
async function deleteInboundPayloads(
  tx: Tx,
  clientId: string,
  lead: { email: string | null; phone: string | null; handles: Record<string, string> | null },
): Promise<number> {
  const needles = unique([
    lead.email,
    lead.phone?.replace(/\D/g, '') ?? null,
    ...Object.values(lead.handles ?? {}).map((h) => (typeof h === 'string' ? h : null)),
  ]).filter((n) => n.length >= 6);
  if (!needles.length) return 0;
  const patterns = needles.map((n) => `%${n.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
  const rows = await tx.query<{ id: string }[]>(
    'delete from webhook_events where client_id = ? and payload ilike any(?::text[]) returning id',
    [clientId, patterns],
  );
  return rows.length;
}

function unique(values: Array<string | null | undefined>): string[] {
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v.length > 0))];
}

function isDeadlock(err: unknown): boolean {
  const e = err as { code?: string; name?: string } | null;
  return e?.code === '40P01' || e?.name === 'DeadlockException';
}
