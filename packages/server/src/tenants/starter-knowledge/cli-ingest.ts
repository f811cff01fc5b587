import type { Config } from '../../config/config.js';
import type { Database } from '../../db/database.js';
import { createJobs } from '../../jobs/create-jobs.js';
import { createIngestion } from '../../knowledge/ingest/ingestion-store.js';
import { runIngestion } from '../../knowledge/ingest/run-ingestion.js';
import { KnowledgeEvents } from '../../knowledge/knowledge-events.js';
import { BACKFILL_JOB, INGEST_ATTEMPTS, KNOWLEDGE_QUEUE } from '../../knowledge/knowledge-service.js';
import type { Logger } from '../../logger.js';
import type { StarterIngest } from './index.js';

/**
 * Starter documents from a CLI (`pnpm onboard`), which has no knowledge
 * worker of its own: the chunks are stored at once for full-text search,
 * and when an embeddings provider is configured the server's
 * `knowledge.embed-missing` job is queued to give them vectors (through the
 * shared queue, so a running server picks it up; otherwise at its next start).
 */
export function cliStarterIngest(deps: { config: Config; db: Database; logger: Logger }): {
  ingest: StarterIngest;
  /** Queues the embedding of what was stored, when there is a provider. */
  finish(stored: boolean): Promise<void>;
} {
  const em = () => deps.db.orm.em.fork();
  const events = new KnowledgeEvents((err) => deps.logger.error({ err }, 'knowledge event listener failed'));
  return {
    async ingest(requestEm, input) {
      const row = await createIngestion(requestEm, input);
      return runIngestion({ em, embedder: null, events, logger: deps.logger }, row.id);
    },
    async finish(stored) {
      if (!stored || !deps.config.raw.OPENAI_API_KEY) return;
      const jobs = createJobs(deps.config, deps.db, deps.logger);
      try {
        await jobs.add(KNOWLEDGE_QUEUE, BACKFILL_JOB, {}, { attempts: INGEST_ATTEMPTS });
      } finally {
        await jobs.close();
      }
    },
  };
}
