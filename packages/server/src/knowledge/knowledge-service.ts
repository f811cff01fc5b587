import type { KnowledgeHitDto, KnowledgeSearchMode } from '@leaddesk/shared';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import { VECTOR_WHERE_AVAILABLE } from '../db/migrations/20261125030000-knowledge.js';
import { type Sql, sqlOf } from '../db/sql.js';
import { AppError } from '../errors/app-error.js';
import { type Jobs, PermanentJobError } from '../jobs/job-queue.js';
import type { Logger } from '../logger.js';
import type { ChunkDraft } from './chunk/chunk-sections.js';
import { createOpenAiEmbedder, type Embedder, EmbeddingConfigError, toVectorLiteral } from './embed/embedder.js';
import { createIngestion, getIngestion, type IngestionRow, updateIngestion } from './ingest/ingestion-store.js';
import {
  IngestionGoneError,
  markIngestionFailed,
  type RunIngestionDeps,
  runIngestion,
} from './ingest/run-ingestion.js';
import { KnowledgeEvents } from './knowledge-events.js';
import { textSearchConfigFor } from './language.js';
import { hybridSearch, type SearchHit, type SearchResult } from './search/hybrid-search.js';
import { hasEmbeddingColumn } from './store/chunk-store.js';
import { recordUnansweredQuestion } from './unanswered/unanswered-questions.js';

export const KNOWLEDGE_QUEUE = 'knowledge';
export const INGEST_JOB = 'knowledge.ingest';
export const BACKFILL_JOB = 'knowledge.embed-missing';
/** Tries per ingestion job (the first included); then staff retry through the API. */
export const INGEST_ATTEMPTS = 3;

export interface KnowledgeStatus {
  search: KnowledgeSearchMode;
  /** Why the search is full text only (absent in hybrid mode). */
  reason?: string;
  embeddingModel?: string;
}

/** A chunk handed to a prompt, a structured-mode answer or a copilot citation. */
export interface RetrievedChunk extends SearchHit {
  /** "price-list.pdf › Whitening" — what a citation shows. */
  citation: string;
  /** For an FAQ entry (API or CSV): the question and the answer alone, for the structured mode to send as is. */
  faq: { question: string; answer: string } | null;
}

export interface RetrieveInput {
  clientId: string;
  /** The visitor's messages, oldest first; the last ones build the query. */
  recentVisitorMessages: string[];
  /** @default 5 */
  k?: number;
  conversationId?: string;
  knowledgeBaseId?: string;
  /**
   * The languages of the tenant's knowledge bases, when the caller read them
   * with its own query: saves a round trip, and an empty list (no knowledge
   * base) skips the search altogether.
   */
  languages?: string[];
  /**
   * The visitor's language (`es`, `es-MX` or `spanish`): chunks in that
   * language come first, ranked among themselves (up to `k`), then up to `k`
   * from the tenant's other languages. One search instead of one per
   * language; each chunk says its `language`.
   */
  preferLanguage?: string;
  /**
   * Store the question as unanswered when nothing good enough is found.
   * `background`: store it without waiting (the AI reply path, where two more
   * round trips would delay the provider request); the result then has no id.
   * @default true
   */
  recordUnanswered?: boolean | 'background';
}

export interface RetrievalResult {
  mode: KnowledgeSearchMode;
  query: string;
  chunks: RetrievedChunk[];
  /** Whether the best chunk passes the relevance threshold; false → recorded as unanswered. */
  answered: boolean;
  unansweredQuestionId: string | null;
}

/**
 * What the reply engines need from the knowledge module (the AI agent's
 * prompt, the structured mode's FAQ answers, the staff copilot's citations).
 */
export interface KnowledgeRetriever {
  retrieveForConversation(input: RetrieveInput): Promise<RetrievalResult>;
}

export interface KnowledgeService {
  readonly events: KnowledgeEvents;
  readonly retriever: KnowledgeRetriever;
  readonly vectorColumn: boolean;
  /** The configured embeddings provider, if any (also used to group visitor questions by meaning in reports). */
  readonly embedder: Embedder | null;
  status(): KnowledgeStatus;
  search(input: SearchInput): Promise<SearchResult>;
  /** Stores the run and queues its job; returns at once (202). */
  enqueueIngestion(em: EntityManager, input: IngestionInput): Promise<IngestionRow>;
  /** Runs a small ingestion in the request; on failure it is queued for retry instead. */
  ingestNow(em: EntityManager, input: IngestionInput): Promise<IngestionRow>;
  retryIngestion(em: EntityManager, clientId: string, knowledgeBaseId: string, id: string): Promise<IngestionRow>;
}

export interface SearchInput {
  clientId: string;
  query: string;
  k: number;
  knowledgeBaseId?: string;
  /** The tenant's knowledge-base languages, when the caller already read them. */
  languages?: string[];
  /** See RetrieveInput.preferLanguage. */
  preferLanguage?: string;
}

export interface IngestionInput {
  clientId: string;
  knowledgeBaseId: string;
  sourceId: string;
  sourceName: string;
  sourceType: string;
  chunks: ChunkDraft[];
}

/** What the module needs from the composition root (a subset of AppContext). */
export interface KnowledgeDeps {
  config: Config;
  logger: Logger;
  db: Database;
  jobs: Jobs;
}

export interface KnowledgeServiceOptions {
  /** Replaces the OpenAI embedder (benchmarks). */
  embedder?: Embedder | null;
}

/**
 * Builds the knowledge module: decides the search mode once (and says so
 * once), makes sure the vector column exists where pgvector does, and starts
 * the ingestion worker.
 */
export async function createKnowledgeService(
  ctx: KnowledgeDeps,
  options: KnowledgeServiceOptions = {},
): Promise<KnowledgeService> {
  const { config, logger, db, jobs } = ctx;
  const raw = config.raw;
  const em = () => db.orm.em.fork();
  const sql = sqlOf(db.orm);

  let vectorColumn = false;
  let iterativeScan = false;
  if (db.pgvector) {
    vectorColumn = await hasEmbeddingColumn(em());
    if (!vectorColumn) {
      // pgvector arrived after the migration ran: add the column and index now.
      await em().execute(VECTOR_WHERE_AVAILABLE);
      vectorColumn = await hasEmbeddingColumn(em());
    }
    const version = await em().execute<{ extversion: string }[]>(
      `select extversion from pg_extension where extname = 'vector'`,
    );
    const [major = 0, minor = 0] = (version[0]?.extversion ?? '0.0').split('.').map(Number);
    iterativeScan = major > 0 || minor >= 8;
  }

  const embedder: Embedder | null =
    options.embedder !== undefined
      ? options.embedder
      : raw.OPENAI_API_KEY
        ? createOpenAiEmbedder({
            apiKey: raw.OPENAI_API_KEY,
            baseURL: raw.OPENAI_BASE_URL,
            model: raw.OPENAI_EMBEDDING_MODEL,
            batchSize: raw.KNOWLEDGE_EMBEDDING_BATCH_SIZE,
          })
        : null;
  const activeEmbedder = vectorColumn ? embedder : null;
  const status: KnowledgeStatus = activeEmbedder
    ? { search: 'hybrid', embeddingModel: activeEmbedder.model }
    : {
        search: 'full_text',
        reason: !vectorColumn
          ? 'pgvector is not installed on this database'
          : 'no embeddings provider configured (OPENAI_API_KEY)',
      };
  if (status.search === 'hybrid') {
    logger.info({ model: status.embeddingModel }, 'knowledge search: hybrid (full text + vectors, fused with RRF)');
  } else {
    logger.warn({ reason: status.reason }, 'knowledge search: full text only');
  }

  const events = new KnowledgeEvents((err) => logger.error({ err }, 'knowledge event listener failed'));
  const deps: RunIngestionDeps = { em, embedder: activeEmbedder, events, logger };

  await jobs.work<{ ingestionId?: string }>(
    KNOWLEDGE_QUEUE,
    async (job) => {
      if (job.name === BACKFILL_JOB) {
        if (activeEmbedder) await embedMissing(em(), activeEmbedder);
        return;
      }
      const id = job.data?.ingestionId;
      if (job.name !== INGEST_JOB || !id) throw new PermanentJobError(`unknown knowledge job ${job.name}`);
      try {
        await runIngestion(deps, id);
      } catch (err) {
        const permanent = err instanceof EmbeddingConfigError || err instanceof IngestionGoneError;
        const willRetry = !permanent && job.attempt < INGEST_ATTEMPTS;
        await markIngestionFailed(deps, id, err, willRetry).catch((e) =>
          logger.error({ err: e }, 'could not record a failed ingestion'),
        );
        logger.warn(
          { ingestionId: id, attempt: job.attempt, willRetry, err: String(err) },
          'knowledge ingestion failed',
        );
        throw permanent ? new PermanentJobError(err instanceof Error ? err.message : String(err)) : err;
      }
    },
    { concurrency: 2 },
  );
  // Chunks stored while there was no embeddings provider get their vectors now.
  if (activeEmbedder) await jobs.add(KNOWLEDGE_QUEUE, BACKFILL_JOB, {}, { attempts: INGEST_ATTEMPTS });

  const minSimilarity = raw.KNOWLEDGE_MIN_SIMILARITY;
  const minCoverage = raw.KNOWLEDGE_MIN_COVERAGE;

  async function search(input: SearchInput) {
    let queryEmbedding: number[] | null = null;
    if (activeEmbedder) {
      try {
        queryEmbedding = (await activeEmbedder.embed([input.query]))[0] ?? null;
      } catch (err) {
        // A provider outage must not take search down: this query runs on full text.
        logger.warn({ err: String(err) }, 'query embedding failed; searching by full text only');
      }
    }
    return hybridSearch(sql, { ...input, queryEmbedding, iterativeScan });
  }

  async function enqueue(row: IngestionRow, jobId: string) {
    await jobs.add(KNOWLEDGE_QUEUE, INGEST_JOB, { ingestionId: row.id }, { jobId, attempts: INGEST_ATTEMPTS });
  }

  const retriever: KnowledgeRetriever = {
    async retrieveForConversation(input) {
      const query = buildQuery(input.recentVisitorMessages);
      if (!query) return { mode: status.search, query, chunks: [], answered: false, unansweredQuestionId: null };
      const result: SearchResult =
        input.languages?.length === 0 && !input.knowledgeBaseId
          ? { mode: status.search, hits: [] }
          : await search({
              clientId: input.clientId,
              query,
              k: input.k ?? 5,
              knowledgeBaseId: input.knowledgeBaseId,
              languages: input.languages,
              preferLanguage: input.preferLanguage,
            });
      const chunks: RetrievedChunk[] = result.hits.map((h) => ({
        ...h,
        citation: [h.source.name, h.source.heading].filter(Boolean).join(' › '),
        faq: faqOf(h),
      }));
      const answered = chunks.some(
        (c) => (c.legs.vector?.score ?? 0) >= minSimilarity || (c.legs.fullText?.coverage ?? 0) >= minCoverage,
      );
      let unansweredQuestionId: string | null = null;
      if (!answered && input.recordUnanswered !== false) {
        const question = input.recentVisitorMessages.at(-1) ?? query;
        const best = chunks[0];
        const record = async () =>
          recordUnansweredQuestion(sql, {
            clientId: input.clientId,
            question,
            language: await tenantLanguage(sql, input.clientId),
            conversationId: input.conversationId,
            bestScore: best ? Math.max(best.legs.vector?.score ?? 0, best.legs.fullText?.coverage ?? 0) : null,
          });
        if (input.recordUnanswered === 'background') {
          // After this turn of the event loop: its queries would otherwise run between the
          // reply's own awaits and delay the provider request (by ~0.3 ms in the AI bench).
          setImmediate(() =>
            record().catch((err: unknown) =>
              logger.warn({ err, clientId: input.clientId }, 'unanswered question not recorded'),
            ),
          );
        } else {
          unansweredQuestionId = await record();
        }
      }
      return { mode: result.mode, query, chunks, answered, unansweredQuestionId };
    },
  };

  return {
    events,
    retriever,
    vectorColumn,
    embedder,
    status: () => status,
    search,
    async enqueueIngestion(requestEm, input) {
      const row = await createIngestion(requestEm, input);
      try {
        await enqueue(row, `knowledge-ingest-${row.id}`);
      } catch (err) {
        // The run stays on record as failed, so it can be retried once the queue is back.
        await markIngestionFailed(deps, row.id, new Error(`could not queue the ingestion: ${String(err)}`), false);
        logger.error({ err, ingestionId: row.id }, 'could not queue a knowledge ingestion');
        throw new AppError('service_unavailable', 'the job queue is unavailable; retry this ingestion later');
      }
      return row;
    },
    async ingestNow(requestEm, input) {
      const row = await createIngestion(requestEm, input);
      try {
        return (await runIngestion(deps, row.id)) ?? row;
      } catch (err) {
        const permanent = err instanceof EmbeddingConfigError;
        await markIngestionFailed(deps, row.id, err, !permanent);
        if (permanent) throw new AppError('service_unavailable', err.message);
        // Accepted all the same: the job finishes it when the provider is back.
        await enqueue(row, `knowledge-ingest-${row.id}`);
        return (await getIngestion(requestEm, input.clientId, row.id)) ?? row;
      }
    },
    async retryIngestion(requestEm, clientId, knowledgeBaseId, id) {
      const row = await getIngestion(requestEm, clientId, id, knowledgeBaseId);
      if (!row) throw AppError.notFound('ingestion');
      if (row.status !== 'failed') {
        throw new AppError('conflict', `only a failed ingestion can be retried; this one is ${row.status}`);
      }
      const queued = await updateIngestion(requestEm, id, { status: 'queued', stage: 'queued', error: null });
      try {
        await enqueue(row, `knowledge-ingest-${row.id}-retry-${row.attempts}`);
      } catch (err) {
        await updateIngestion(requestEm, id, { status: 'failed', error: `could not queue the retry: ${String(err)}` });
        throw new AppError('service_unavailable', 'the job queue is unavailable; retry later');
      }
      return queued ?? row;
    },
  };
}

/**
 * The query for a conversation: the latest visitor message, plus the ones
 * before it while it has few content words ("and for kids?" needs its
 * context; "What time is check-out?" does not, and extra words would only
 * dilute it).
 */
export function buildQuery(messages: string[], minContentWords = 3, maxMessages = 3): string {
  const picked: string[] = [];
  let words = 0;
  for (let i = messages.length - 1; i >= 0 && picked.length < maxMessages; i--) {
    const text = messages[i]?.trim();
    if (!text) continue;
    picked.unshift(text);
    words += (text.match(/[\p{L}\p{N}][\p{L}\p{N}'-]{3,}/gu) ?? []).length;
    if (words >= minContentWords) break;
  }
  return picked.join(' ').slice(0, 1000);
}

function faqOf(hit: KnowledgeHitDto): RetrievedChunk['faq'] {
  const question = hit.source.heading;
  if ((hit.source.type !== 'faq' && hit.source.type !== 'csv') || !question) return null;
  const prefix = `${question}\n\n`;
  return hit.content.startsWith(prefix) ? { question, answer: hit.content.slice(prefix.length) } : null;
}

async function tenantLanguage(db: Sql, clientId: string): Promise<string> {
  const rows = await db.query<{ language: string }[]>(
    `select coalesce(
       (select language from knowledge_bases where client_id = ? group by language order by count(*) desc limit 1),
       (select locale from clients where id = ?)) as language`,
    [clientId, clientId],
  );
  return textSearchConfigFor(rows[0]?.language);
}

async function embedMissing(em: EntityManager, embedder: Embedder, batch = 64): Promise<void> {
  for (;;) {
    const rows = await em.execute<{ id: string; content: string }[]>(
      'select id, content from knowledge_chunks where embedding is null order by id limit ?',
      [batch],
    );
    if (rows.length === 0) return;
    const vectors = await embedder.embed(rows.map((r) => r.content));
    for (const [i, row] of rows.entries()) {
      await em.execute('update knowledge_chunks set embedding = ?::vector where id = ?', [
        toVectorLiteral(vectors[i]!),
        row.id,
      ]);
    }
  }
}
