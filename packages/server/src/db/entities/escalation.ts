import { ESCALATION_PRIORITIES, ESCALATION_REASONS, ESCALATION_STATUSES } from '@leaddesk/shared';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Client } from './client.js';
import { Conversation } from './conversation.js';
import { Lead } from './lead.js';
import { User } from './user.js';

export const Escalation = defineEntity({
  name: 'Escalation',
  tableName: 'escalations',
  indexes: [{ properties: ['client', 'status', 'createdAt'] }],
  properties: {
    id: p.uuid().primary(),
    client: p.manyToOne(Client).deleteRule('cascade'),
    conversation: p.manyToOne(Conversation).deleteRule('cascade').index(),
    lead: p.manyToOne(Lead).nullable().deleteRule('set null'),
    reason: p.enum([...ESCALATION_REASONS]),
    priority: p.enum([...ESCALATION_PRIORITIES]).default('normal'),
    status: p.enum([...ESCALATION_STATUSES]).default('pending'),
    detail: p.text().default(''),
    resolution: p.text().nullable(),
    resolvedBy: p.manyToOne(User).nullable().deleteRule('set null'),
    resolvedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IEscalation = InferEntity<typeof Escalation>;
