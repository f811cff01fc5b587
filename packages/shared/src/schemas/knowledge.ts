import { z } from 'zod';
import { paginationQuerySchema } from './common.js';

/**
 * Knowledge-base contracts: REST bodies and responses, and the ingestion
 * progress events the dashboard's progress bar subscribes to.
 */

/** Languages with a PostgreSQL text-search configuration; `simple` does no stemming. */
export const KNOWLEDGE_LANGUAGES = [
  'english',
  'spanish',
  'french',
  'german',
  'portuguese',
  'italian',
  'simple',
] as const;
export type KnowledgeLanguage = (typeof KNOWLEDGE_LANGUAGES)[number];

export const KNOWLEDGE_SOURCE_TYPES = ['text', 'markdown', 'html', 'pdf', 'docx', 'csv', 'faq'] as const;
export type KnowledgeSourceType = (typeof KNOWLEDGE_SOURCE_TYPES)[number];

export const INGESTION_STATUSES = ['queued', 'running', 'retrying', 'completed', 'failed'] as const;
export type IngestionStatus = (typeof INGESTION_STATUSES)[number];

export const INGESTION_STAGES = ['queued', 'embedding', 'storing', 'done'] as const;
export type IngestionStage = (typeof INGESTION_STAGES)[number];

/** `hybrid` = full text + vectors fused with RRF; `full_text` when there is no embeddings key or no pgvector. */
export const KNOWLEDGE_SEARCH_MODES = ['hybrid', 'full_text'] as const;
export type KnowledgeSearchMode = (typeof KNOWLEDGE_SEARCH_MODES)[number];

export const createKnowledgeBaseSchema = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).default(''),
  category: z.string().trim().min(1).max(100).default('general'),
  language: z.enum(KNOWLEDGE_LANGUAGES).optional(),
});
export type CreateKnowledgeBaseInput = z.infer<typeof createKnowledgeBaseSchema>;

/** A knowledge base's editable fields, whole; `PATCH /knowledge-bases/:id` is a JSON Merge Patch of them. */
export const editableKnowledgeBaseSchema = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000),
  category: z.string().trim().min(1).max(100),
});

export const knowledgeBaseSchema = z.object({
  id: z.string().uuid(),
  name: z.string(),
  description: z.string(),
  category: z.string(),
  language: z.enum(KNOWLEDGE_LANGUAGES),
  chunkCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type KnowledgeBaseDto = z.infer<typeof knowledgeBaseSchema>;

export const knowledgeFaqEntrySchema = z.object({
  /** Stable id of the entry; sending the same id again replaces it. */
  id: z
    .string()
    .trim()
    .regex(/^[\w.:-]{1,120}$/, 'letters, digits, _ . : - only')
    .optional(),
  question: z.string().trim().min(3).max(1000),
  answer: z.string().trim().min(1).max(8000),
});
export type KnowledgeFaqEntryInput = z.infer<typeof knowledgeFaqEntrySchema>;

export const bulkFaqSchema = z.object({ entries: z.array(knowledgeFaqEntrySchema).min(1).max(2000) });

export const knowledgeChunkSchema = z.object({
  id: z.string().uuid(),
  knowledgeBaseId: z.string().uuid(),
  sourceId: z.string(),
  sourceName: z.string(),
  sourceType: z.string(),
  position: z.number().int(),
  content: z.string(),
  tokenCount: z.number().int(),
  heading: z.string().nullable(),
  embedded: z.boolean(),
  createdAt: z.string(),
});
export type KnowledgeChunkDto = z.infer<typeof knowledgeChunkSchema>;

export const listChunksQuerySchema = paginationQuerySchema.extend({
  sourceId: z.string().max(200).optional(),
});

export const ingestionSchema = z.object({
  id: z.string().uuid(),
  knowledgeBaseId: z.string().uuid(),
  sourceId: z.string(),
  sourceName: z.string(),
  sourceType: z.string(),
  status: z.enum(INGESTION_STATUSES),
  stage: z.enum(INGESTION_STAGES),
  totalChunks: z.number().int(),
  embeddedChunks: z.number().int(),
  storedChunks: z.number().int(),
  duplicateChunks: z.number().int(),
  /** 0..1 for a progress bar. */
  progress: z.number(),
  attempts: z.number().int(),
  error: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  completedAt: z.string().nullable(),
});
export type IngestionDto = z.infer<typeof ingestionSchema>;

export const knowledgeSearchQuerySchema = z.object({
  q: z.string().trim().min(1).max(1000),
  k: z.coerce.number().int().min(1).max(50).default(5),
  knowledgeBaseId: z.string().uuid().optional(),
});

export const searchLegSchema = z.object({ rank: z.number().int(), score: z.number() });

export const knowledgeHitSchema = z.object({
  chunkId: z.string().uuid(),
  knowledgeBaseId: z.string().uuid(),
  content: z.string(),
  /** The text-search language of the chunk's knowledge base (`english`, `spanish`…). */
  language: z.string(),
  /** The fused score (Reciprocal Rank Fusion), higher is better. */
  score: z.number(),
  legs: z.object({
    /** ts_rank_cd and the share of the query's words the chunk contains. */
    fullText: searchLegSchema.extend({ coverage: z.number() }).nullable(),
    /** Cosine similarity. */
    vector: searchLegSchema.nullable(),
  }),
  source: z.object({
    id: z.string(),
    name: z.string(),
    type: z.string(),
    position: z.number().int(),
    heading: z.string().nullable(),
  }),
});
export type KnowledgeHitDto = z.infer<typeof knowledgeHitSchema>;

export const knowledgeSearchResponseSchema = z.object({
  mode: z.enum(KNOWLEDGE_SEARCH_MODES),
  hits: z.array(knowledgeHitSchema),
});

export const unansweredSuggestionSchema = z.object({
  /** The most recent wording, shown as the suggested FAQ question. */
  question: z.string(),
  count: z.number().int(),
  questionIds: z.array(z.string().uuid()),
  examples: z.array(z.string()),
  lastAskedAt: z.string(),
});
export const unansweredSuggestionsResponseSchema = z.object({ data: z.array(unansweredSuggestionSchema) });
export const resolveUnansweredSchema = z.object({ questionIds: z.array(z.string().uuid()).min(1).max(500) });

/** Server facts about ingestion runs, for the realtime layer to fan out to staff. */
export interface KnowledgeEventMap {
  'ingestion:progressed': { clientId: string; ingestion: IngestionDto };
  'ingestion:completed': { clientId: string; ingestion: IngestionDto };
  'ingestion:failed': { clientId: string; ingestion: IngestionDto; willRetry: boolean };
}
