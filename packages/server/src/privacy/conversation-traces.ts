import type { Sql } from '../db/sql.js';

type Tx = Pick<Sql, 'query'>;

export interface TraceCounts {
  outgoingWebhookEvents: number;
  knowledgeGaps: number;
  automationFirings: number;
}

/**
 * What a conversation leaves behind outside its own foreign keys, removed
 * before the conversation itself is deleted (by erasure, and by retention in
 * its delete mode): the visitor's questions kept as knowledge gaps (their
 * foreign key only sets null), automation firings (no foreign key), and the
 * outgoing webhook outbox, whose JSON bodies copy leads and messages (their
 * deliveries and attempts go with them by cascade). Outbox bodies are
 * matched by the ids they carry: a uuid names one row.
 */
export async function deleteConversationTraces(
  tx: Tx,
  clientId: string,
  conversationIds: string[],
  leadIds: string[] = [],
): Promise<TraceCounts> {
  const conversations = conversationIds;
  const leads = leadIds;
  const gaps = await tx.query<{ id: string }[]>(
    `delete from knowledge_unanswered_questions where client_id = ? and conversation_id = any(?::uuid[]) returning id`,
    [clientId, conversations],
  );
  const firings = await tx.query<{ id: string }[]>(
    `delete from automation_rule_firings where client_id = ?
       and (conversation_id = any(?::uuid[]) or lead_id = any(?::uuid[])) returning id`,
    [clientId, conversations, leads],
  );
  const patterns = [...conversationIds, ...leadIds].map((id) => `%${id}%`);
  const outbox = patterns.length
    ? await tx.query<{ id: string }[]>(
        `delete from outgoing_webhook_events where client_id = ? and body like any(?::text[]) returning id`,
        [clientId, patterns],
      )
    : [];
  return { outgoingWebhookEvents: outbox.length, knowledgeGaps: gaps.length, automationFirings: firings.length };
}
