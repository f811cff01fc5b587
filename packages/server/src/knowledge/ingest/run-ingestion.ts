import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { storableErrorText } from '../../db/storable-text.js';
import type { Embedder } from '../embed/embedder.js';
import type { KnowledgeEvents } from '../knowledge-events.js';
import { replaceSourceChunks } from '../store/chunk-store.js';
import { getIngestionPayload, type IngestionRow, ingestionToDto, updateIngestion } from './ingestion-store.js';

export interface RunIngestionDeps {
  em: () => EntityManager;
  /** Null in full-text mode: chunks are stored without vectors. */
  embedder: Embedder | null;
  events: KnowledgeEvents;
  logger: Logger;
}

/** Thrown when an ingestion cannot succeed however often it is retried. */
export class IngestionGoneError extends Error {
  override name = 'IngestionGoneError';
}

/**
 * Runs one ingestion: embed its chunks in batches (reporting progress), then
 * in ONE transaction replace the document's chunks and mark the run
 * completed. A failure before the commit leaves the knowledge base as it was;
 * the job retries, or staff retry it through the API.
 */
export async function runIngestion(deps: RunIngestionDeps, id: string): Promise<IngestionRow | null> {
  const em = deps.em();
  const rows = await em.execute<(IngestionRow & { language: string })[]>(
    `select i.*, kb.language from knowledge_ingestions i join knowledge_bases kb on kb.id = i.knowledge_base_id
     where i.id = ?`,
    [id],
  );
  const row = rows[0];
  // Deleted with its knowledge base, or already done by an earlier delivery of the job.
  if (!row || row.status === 'completed') return row ?? null;
  const payload = await getIngestionPayload(em, id);
  if (!payload) throw new IngestionGoneError(`ingestion ${id} has no payload to ingest`);
  const chunks = payload.chunks;

  const progressed = async (patch: Parameters<typeof updateIngestion>[2]) => {
    const updated = await updateIngestion(em, id, patch);
    if (updated)
      deps.events.emit('ingestion:progressed', { clientId: row.client_id, ingestion: ingestionToDto(updated) });
    return updated;
  };

  await progressed({
    status: 'running',
    stage: deps.embedder ? 'embedding' : 'storing',
    attempts: row.attempts + 1,
    error: null,
    embedded_chunks: 0,
  });

  let embeddings: number[][] | null = null;
  if (deps.embedder && chunks.length) {
    embeddings = await deps.embedder.embed(
      chunks.map((c) => c.content),
      async (done) => {
        await progressed({ embedded_chunks: done });
      },
    );
    await progressed({ stage: 'storing' });
  }

  const completed = await em.transactional(async (tx) => {
    const stored = await replaceSourceChunks(
      tx,
      {
        clientId: row.client_id,
        knowledgeBaseId: row.knowledge_base_id,
        language: row.language,
        sourceId: row.source_id,
        sourceName: row.source_name,
        sourceType: row.source_type,
      },
      chunks,
      embeddings,
    );
    await tx.execute('update knowledge_bases set updated_at = now() where id = ?', [row.knowledge_base_id]);
    return updateIngestion(tx, id, {
      status: 'completed',
      stage: 'done',
      stored_chunks: stored,
      duplicate_chunks: chunks.length - stored,
      completed: true,
      dropPayload: true,
    });
  });
  if (completed) {
    deps.events.emit('ingestion:completed', { clientId: row.client_id, ingestion: ingestionToDto(completed) });
    deps.logger.info(
      {
        ingestionId: id,
        clientId: row.client_id,
        stored: completed.stored_chunks,
        duplicates: completed.duplicate_chunks,
      },
      'knowledge ingestion completed',
    );
  }
  return completed;
}

/** Records a failed attempt so GET …/ingestions/:id shows why, and tells listeners. */
export async function markIngestionFailed(
  deps: RunIngestionDeps,
  id: string,
  err: unknown,
  willRetry: boolean,
): Promise<void> {
  const updated = await updateIngestion(deps.em(), id, {
    status: willRetry ? 'retrying' : 'failed',
    // Storable whatever the provider or parser said: a U+0000 here made the record itself fail.
    error: storableErrorText(err, 1000),
  });
  if (updated) {
    deps.events.emit('ingestion:failed', {
      clientId: updated.client_id,
      ingestion: ingestionToDto(updated),
      willRetry,
    });
  }
}
