import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Client } from './client.js';
import { KnowledgeBase } from './knowledge-base.js';

/**
 * A searchable piece of a document or an FAQ entry. The `tsv` full-text column
 * and the optional `embedding vector(1536)` column are maintained in SQL (see
 * the migration), not mapped here, because the vector type exists only where
 * pgvector does.
 */
export const KnowledgeChunk = defineEntity({
  name: 'KnowledgeChunk',
  tableName: 'knowledge_chunks',
  uniques: [{ properties: ['knowledgeBase', 'contentHash'] }],
  indexes: [{ properties: ['client', 'knowledgeBase'] }, { properties: ['knowledgeBase', 'sourceId'] }],
  properties: {
    id: p.uuid().primary(),
    client: p.manyToOne(Client).deleteRule('cascade'),
    knowledgeBase: p.manyToOne(KnowledgeBase).deleteRule('cascade'),
    /** Identifies the document (or FAQ entry) the chunk came from; re-ingesting replaces by it. */
    sourceId: p.string().length(200),
    sourceName: p.string().length(300),
    sourceType: p.string().length(20),
    position: p.integer().default(0),
    content: p.text(),
    contentHash: p.string().length(64),
    tokenCount: p.integer().default(0),
    language: p.string().length(16).default('simple'),
    metadata: p.json<Record<string, unknown>>(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IKnowledgeChunk = InferEntity<typeof KnowledgeChunk>;
