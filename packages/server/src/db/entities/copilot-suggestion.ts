import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Client } from './client.js';
import { Conversation } from './conversation.js';
import { User } from './user.js';

/** A "Suggest reply" draft and its outcome (sent as is, edited, discarded). */
export const CopilotSuggestion = defineEntity({
  name: 'CopilotSuggestion',
  tableName: 'copilot_suggestions',
  indexes: [{ properties: ['client', 'createdAt'] }],
  properties: {
    id: p.uuid().primary(),
    client: p.manyToOne(Client).deleteRule('cascade'),
    conversation: p.manyToOne(Conversation).deleteRule('cascade'),
    user: p.manyToOne(User).nullable().deleteRule('set null'),
    draft: p.text(),
    engine: p.string().length(64),
    outcome: p.enum(['pending', 'sent_as_is', 'edited', 'discarded'] as const).default('pending'),
    messageId: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    resolvedAt: p.datetime().nullable(),
  },
});
export type ICopilotSuggestion = InferEntity<typeof CopilotSuggestion>;
