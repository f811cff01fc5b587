import { randomUUID } from 'node:crypto';
import type { ConversationEventKind, TimelineEvent } from '@leaddesk/shared';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Sql } from '../db/sql.js';

/**
 * The staff-only history of a conversation (`conversation_events`): who took
 * over, handed back, assigned. Not messages: no sequence number, so nothing
 * here can reach a visitor through the widget replay or a channel's outbound
 * delivery. Written by the core in the transaction of the change it records.
 */

interface EventRow {
  id: string;
  conversation_id: string;
  kind: ConversationEventKind;
  created_at: Date | string;
  actor_id: string | null;
  actor_name: string | null;
  subject_id: string | null;
  subject_name: string | null;
  detail: string | null;
}

const toDto = (r: EventRow): TimelineEvent => ({
  id: r.id,
  conversationId: r.conversation_id,
  kind: r.kind,
  actor: r.actor_id ? { userId: r.actor_id, name: r.actor_name ?? '' } : null,
  subject: r.subject_id ? { userId: r.subject_id, name: r.subject_name ?? '' } : null,
  detail: r.detail ?? null,
  createdAt: new Date(r.created_at).toISOString(),
});

export async function insertConversationEvent(
  db: Pick<Sql, 'query'>,
  input: {
    clientId: string;
    conversationId: string;
    kind: ConversationEventKind;
    actorId: string | null;
    subjectId?: string | null;
    /** Follow-ups and review requests say which step, or why (migration 20261203060000). */
    detail?: string | null;
  },
): Promise<TimelineEvent> {
  const rows = await db.query<EventRow[]>(
    `with e as (
       insert into conversation_events (id, client_id, conversation_id, kind, actor_id, subject_id, detail, created_at)
       values (?, ?, ?, ?, ?, ?, ?, clock_timestamp())
       returning id, conversation_id, kind, created_at, actor_id, subject_id, detail
     )
     select e.*, a.name as actor_name, s.name as subject_name
       from e left join users a on a.id = e.actor_id left join users s on s.id = e.subject_id`,
    [
      randomUUID(),
      input.clientId,
      input.conversationId,
      input.kind,
      input.actorId,
      input.subjectId ?? null,
      input.detail ?? null,
    ],
  );
  const row = rows[0];
  if (!row) throw new Error('conversation event not stored');
  return toDto(row);
}

/** A conversation's events, oldest first, with the names of who did it and whom it concerns. */
export async function listConversationEvents(
  em: EntityManager,
  clientId: string,
  conversationId: string,
): Promise<TimelineEvent[]> {
  const rows = await em.execute<EventRow[]>(
    `select e.id, e.conversation_id, e.kind, e.created_at, e.actor_id, a.name as actor_name, e.subject_id, s.name as subject_name,
            e.detail
       from conversation_events e left join users a on a.id = e.actor_id left join users s on s.id = e.subject_id
      where e.client_id = ? and e.conversation_id = ?
      order by e.created_at, e.id`,
    [clientId, conversationId],
  );
  return rows.map(toDto);
}
