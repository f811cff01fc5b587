import { type AiMetadata, type Attachment, CHANNELS, DELIVERY_STATES, MESSAGE_ROLES } from '@leaddesk/shared';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Client } from './client.js';
import { Conversation } from './conversation.js';
import { User } from './user.js';

/**
 * A message. `seq` only grows within a conversation; `externalId` (the
 * channel's id) and `clientMessageId` (the widget's) make inbound delivery
 * idempotent through unique indexes.
 */
export const Message = defineEntity({
  name: 'Message',
  tableName: 'messages',
  uniques: [
    { properties: ['conversation', 'seq'] },
    { properties: ['client', 'channel', 'externalId'] },
    { properties: ['conversation', 'clientMessageId'] },
  ],
  indexes: [{ properties: ['client', 'createdAt'] }],
  properties: {
    id: p.uuid().primary(),
    client: p.manyToOne(Client).deleteRule('cascade'),
    conversation: p.manyToOne(Conversation).deleteRule('cascade'),
    seq: p.integer(),
    role: p.enum([...MESSAGE_ROLES]),
    content: p.text(),
    attachments: p.json<Attachment[]>(),
    channel: p.enum([...CHANNELS]),
    externalId: p.string().length(255).nullable(),
    clientMessageId: p.string().length(64).nullable(),
    deliveryState: p.enum([...DELIVERY_STATES]).default('sent'),
    deliveryError: p.json<{ code?: string | number; message: string }>().nullable(),
    /** Provider ids of the parts an outbound message was sent as (migration 20261125050000-channels). */
    deliveryRefs: p.array<string>().default([]),
    ai: p.json<AiMetadata>().nullable(),
    sender: p.manyToOne(User).nullable().deleteRule('set null'),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IMessage = InferEntity<typeof Message>;
