import { CHANNELS, CONVERSATION_MODES, CONVERSATION_STATUSES } from '@leaddesk/shared';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Client } from './client.js';
import { Lead } from './lead.js';
import { User } from './user.js';

/**
 * One thread with a lead on one channel. `lastSeq` is the counter that message
 * sequence numbers are drawn from (incremented atomically in SQL).
 */
export const Conversation = defineEntity({
  name: 'Conversation',
  tableName: 'conversations',
  indexes: [
    { properties: ['client', 'status', 'lastMessageAt'] },
    { properties: ['client', 'lead', 'channel', 'lastMessageAt'] },
    { properties: ['client', 'visitorId'] },
  ],
  properties: {
    id: p.uuid().primary(),
    client: p.manyToOne(Client).deleteRule('cascade'),
    lead: p.manyToOne(Lead).nullable().deleteRule('set null'),
    channel: p.enum([...CHANNELS]),
    status: p.enum([...CONVERSATION_STATUSES]).default('active'),
    mode: p.enum([...CONVERSATION_MODES]).default('ai'),
    modeHolder: p.manyToOne(User).nullable().deleteRule('set null'),
    assignee: p.manyToOne(User).nullable().deleteRule('set null'),
    /** When `assignee` was set: the no-staff-reply timer starts here. */
    assignedAt: p.datetime().nullable(),
    visitorId: p.string().length(64).nullable(),
    lastSeq: p.integer().default(0),
    lastMessageAt: p.datetime().nullable(),
    /** Rolling summary of older messages for long conversations. */
    summary: p.text().nullable(),
    /** Last message seq the summary covers. */
    summarySeq: p.integer().default(0),
    promptVariant: p.string().length(32).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    endedAt: p.datetime().nullable(),
  },
});
export type IConversation = InferEntity<typeof Conversation>;

/** A new message on the same lead and channel within this window reuses the conversation. */
export const CONVERSATION_REUSE_WINDOW_MS = 24 * 60 * 60 * 1000;
