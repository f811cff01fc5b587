import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Client } from './client.js';

export const KnowledgeBase = defineEntity({
  name: 'KnowledgeBase',
  tableName: 'knowledge_bases',
  properties: {
    id: p.uuid().primary(),
    client: p.manyToOne(Client).deleteRule('cascade').index(),
    name: p.string().length(200),
    description: p.text().default(''),
    category: p.string().length(100).default('general'),
    /** PostgreSQL text-search configuration for its chunks (english, spanish, …, simple). */
    language: p.string().length(32).default('english'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type IKnowledgeBase = InferEntity<typeof KnowledgeBase>;
