/**
 * Knowledge bases: ingestion, hybrid search and retrieval. Reply engines use
 * `ctx.knowledge.retriever` (a KnowledgeRetriever); the staff realtime layer
 * subscribes to `ctx.knowledge.events`. See docs/knowledge.md.
 */
export type { Embedder } from './embed/embedder.js';
export { KnowledgeEvents } from './knowledge-events.js';
export {
  buildQuery,
  createKnowledgeService,
  type KnowledgeRetriever,
  type KnowledgeService,
  type KnowledgeStatus,
  type RetrievalResult,
  type RetrievedChunk,
  type RetrieveInput,
  type SearchInput,
} from './knowledge-service.js';
