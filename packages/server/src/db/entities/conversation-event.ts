import { CONVERSATION_EVENT_KINDS } from '@leaddesk/shared';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Client } from './client.js';
import { Conversation } from './conversation.js';
import { User } from './user.js';

/** Staff-only history of a conversation: takeover, hand-back, assignment (never sent to the visitor). */
export const ConversationEvent = defineEntity({
  name: 'ConversationEvent',
  tableName: 'conversation_events',
  indexes: [{ properties: ['conversation', 'createdAt'] }],
  properties: {
    id: p.uuid().primary(),
    client: p.manyToOne(Client).deleteRule('cascade'),
    conversation: p.manyToOne(Conversation).deleteRule('cascade'),
    kind: p.enum([...CONVERSATION_EVENT_KINDS]),
    /** Who did it. */
    actor: p.manyToOne(User).nullable().deleteRule('set null'),
    /** Whom it concerns (the assignee). */
    subject: p.manyToOne(User).nullable().deleteRule('set null'),
    /** A follow-up's step, or why a sequence stopped (issue 14). */
    detail: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IConversationEvent = InferEntity<typeof ConversationEvent>;
