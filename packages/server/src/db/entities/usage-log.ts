import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Client } from './client.js';

/** Tokens per client, model and day; upserted by the AI orchestrator. */
export const UsageLog = defineEntity({
  name: 'UsageLog',
  tableName: 'usage_logs',
  uniques: [{ properties: ['client', 'model', 'day'] }],
  properties: {
    id: p.uuid().primary(),
    client: p.manyToOne(Client).deleteRule('cascade'),
    model: p.string().length(100),
    day: p.date(),
    requests: p.integer().default(0),
    inputTokens: p.bigint('number').default(0),
    outputTokens: p.bigint('number').default(0),
    cacheReadTokens: p.bigint('number').default(0),
    cacheWriteTokens: p.bigint('number').default(0),
  },
});
export type IUsageLog = InferEntity<typeof UsageLog>;
