import { LEAD_EXPORT_FORMAT, type LeadDto, type LeadExport } from '@leaddesk/shared';
import type { Sql } from '../db/sql.js';

/** Writes a piece of the document; resolves when the receiver can take more (back-pressure). */
export type ExportSink = (chunk: string) => Promise<void>;

const PAGE = 500;

/** A section of the export: the rows of one table that belong to the lead, in a stable order. */
interface Section {
  name: Exclude<keyof LeadExport, 'format' | 'exportedAt' | 'lead'>;
  table: string;
  /** `c` = the lead's conversation ids, `l` = the lead's id; always scoped by the tenant too. */
  where: string;
  params: (leadId: string, conversationIds: string[]) => unknown[];
  order: string;
  /** Columns left out: internal machinery, not data about the person. */
  omit?: string[];
}

const byConversation = (table: string, name: Section['name'], order: string, omit?: string[]): Section => ({
  name,
  table,
  where: 'conversation_id = any(?::uuid[])',
  params: (_l, c) => [c],
  order,
  omit,
});
const byLeadOrConversation = (table: string, name: Section['name'], order: string): Section => ({
  name,
  table,
  where: '(lead_id = ? or conversation_id = any(?::uuid[]))',
  params: (l, c) => [l, c],
  order,
});

/**
 * Every table with rows of a lead (read from the migrations: anything keyed by
 * `lead_id` or by one of its conversations). Messages have their own keyset
 * pager below; the rest are small per lead and paged by offset.
 */
const SECTIONS: Section[] = [
  byLeadOrConversation('escalations', 'escalations', 'created_at, id'),
  byConversation('conversation_events', 'conversationEvents', 'created_at, id'),
  byConversation('copilot_suggestions', 'copilotSuggestions', 'created_at, id'),
  byLeadOrConversation('callback_tasks', 'callbackTasks', 'created_at, id'),
  byLeadOrConversation('follow_up_runs', 'followUpRuns', 'created_at, id'),
  byConversation('follow_up_sends', 'followUpSends', 'sent_at, run_id, step'),
  byLeadOrConversation('follow_up_opt_outs', 'followUpOptOuts', 'created_at, id'),
  byLeadOrConversation('bookings', 'bookings', 'created_at, id'),
  byLeadOrConversation('booking_offers', 'bookingOffers', 'created_at, id'),
  byLeadOrConversation('automation_rule_firings', 'automationFirings', 'fired_at, id'),
  {
    name: 'reviewRequests',
    table: 'review_requests',
    where: 'lead_id = ?',
    params: (l) => [l],
    order: 'created_at',
    omit: ['token'],
  },
  {
    name: 'crmSyncs',
    table: 'crm_syncs',
    where: 'lead_id = ?',
    params: (l) => [l],
    order: 'provider',
    omit: ['lease_owner', 'lease_until', 'requested_version', 'synced_version'],
  },
  byConversation('knowledge_unanswered_questions', 'knowledgeGaps', 'created_at, id', ['lexemes', 'best_score']),
];

const CONVERSATION_OMIT = [
  'reply_owner',
  'reply_lease_until',
  'reply_attempts',
  'reply_stream_id',
  'reply_wanted_seq',
  'reply_answered_seq',
  'reply_wanted_at',
  'summary_seq',
];

/**
 * Streams one lead's data as a JSON document (the shape of `leadExportSchema`):
 * the profile, then one array per table, written row by row through `sink`,
 * which waits while the receiver is slow. Memory holds one page of rows and
 * the lead's conversation ids, whatever the number of messages.
 */
export async function writeLeadExport(
  sql: Sql,
  clientId: string,
  lead: LeadDto,
  sink: ExportSink,
  now = new Date(),
): Promise<void> {
  await sink(
    `{"format":${JSON.stringify(LEAD_EXPORT_FORMAT)},"exportedAt":${JSON.stringify(now.toISOString())},` +
      `"lead":${JSON.stringify(lead)}`,
  );
  const conversations = await sql.query<Record<string, unknown>[]>(
    'select * from conversations where client_id = ? and lead_id = ? order by created_at, id',
    [clientId, lead.id],
  );
  const conversationIds = conversations.map((c) => c.id as string);
  await writeArray(sink, 'conversations', async function* () {
    yield conversations.map((c) => rowOut(c, CONVERSATION_OMIT));
  });
  await writeArray(sink, 'messages', async function* () {
    // One conversation at a time, by sequence: each page is a range of the (conversation_id, seq) index.
    for (const conversationId of conversationIds) {
      let after = -1;
      for (;;) {
        const page: Record<string, unknown>[] = await sql.query<Record<string, unknown>[]>(
          `select * from messages where client_id = ? and conversation_id = ? and seq > ? order by seq limit ${PAGE}`,
          [clientId, conversationId, after],
        );
        yield page.map((m) => rowOut(m, ['delivery_refs']));
        const last = page.at(-1);
        if (page.length < PAGE || !last) break;
        after = last.seq as number;
      }
    }
  });
  for (const section of SECTIONS) {
    await writeArray(sink, section.name, async function* () {
      for (let offset = 0; ; offset += PAGE) {
        const page = await sql.query<Record<string, unknown>[]>(
          `select * from ${section.table} where client_id = ? and ${section.where}
           order by ${section.order} limit ${PAGE} offset ${offset}`,
          [clientId, ...section.params(lead.id, conversationIds)],
        );
        yield page.map((r) => rowOut(r, section.omit));
        if (page.length < PAGE) return;
      }
    });
  }
  await sink('}');
}

async function writeArray(
  sink: ExportSink,
  name: string,
  pages: () => AsyncGenerator<Record<string, unknown>[]>,
): Promise<void> {
  await sink(`,${JSON.stringify(name)}:[`);
  let first = true;
  for await (const page of pages()) {
    if (!page.length) continue;
    await sink(`${first ? '' : ','}${page.map((r) => JSON.stringify(r)).join(',')}`);
    first = false;
  }
  await sink(']');
}

/** A row as the export shows it: camelCase keys, without the tenant id (the same for every row). */
function rowOut(row: Record<string, unknown>, omit: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (key === 'client_id' || omit.includes(key)) continue;
    out[key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase())] = value;
  }
  return out;
}
