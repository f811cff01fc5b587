import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ChunkDraft } from '../chunk/chunk-sections.js';
import { toVectorLiteral } from '../embed/embedder.js';
import { tenantToken } from '../search/tenant-token.js';

export interface StoreTarget {
  clientId: string;
  knowledgeBaseId: string;
  language: string;
  sourceId: string;
  sourceName: string;
  sourceType: string;
}

const INSERT_BATCH = 200;

/**
 * Replaces a document's chunks in the caller's transaction: deletes what the
 * source had, inserts the new chunks, and skips any whose SHA-256 the
 * knowledge base already holds (from another document). Returns how many were
 * stored. An advisory lock serialises two ingestions of the same document.
 */
export async function replaceSourceChunks(
  tx: EntityManager,
  target: StoreTarget,
  drafts: ChunkDraft[],
  embeddings: number[][] | null,
): Promise<number> {
  await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [`${target.knowledgeBaseId}/${target.sourceId}`]);
  await tx.execute('delete from knowledge_chunks where knowledge_base_id = ? and source_id = ?', [
    target.knowledgeBaseId,
    target.sourceId,
  ]);
  return insertChunks(tx, target, drafts, embeddings);
}

export async function insertChunks(
  tx: EntityManager,
  target: StoreTarget,
  drafts: ChunkDraft[],
  embeddings: number[][] | null,
): Promise<number> {
  let stored = 0;
  const withVector = embeddings !== null;
  for (let i = 0; i < drafts.length; i += INSERT_BATCH) {
    const batch = drafts.slice(i, i + INSERT_BATCH);
    const params: unknown[] = [];
    const rows = batch.map((d, j) => {
      params.push(
        randomUUID(),
        target.clientId,
        target.knowledgeBaseId,
        target.sourceId,
        target.sourceName,
        target.sourceType,
        d.position,
        d.content,
        d.contentHash,
        d.tokenCount,
        target.language,
        JSON.stringify({ ...d.metadata, heading: d.heading }),
        target.language,
        d.content,
        tenantToken(target.clientId, target.language),
      );
      if (withVector) params.push(toVectorLiteral(embeddings[i + j]!));
      return `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, now(), to_tsvector(?::regconfig, ?) || array_to_tsvector(array[?::text])${withVector ? ', ?::vector' : ''})`;
    });
    const inserted = await tx.execute<{ id: string }[]>(
      `insert into knowledge_chunks (id, client_id, knowledge_base_id, source_id, source_name, source_type, position,
         content, content_hash, token_count, language, metadata, created_at, tsv${withVector ? ', embedding' : ''})
       values ${rows.join(', ')}
       on conflict (knowledge_base_id, content_hash) do nothing
       returning id`,
      params,
    );
    stored += inserted.length;
  }
  if (stored > 0) await tx.execute(MERGE_PENDING_TEXT_INDEX);
  return stored;
}

/**
 * New chunks wait in the GIN index's pending list until a vacuum merges them,
 * and every search scans that list whole (PGlite never vacuums by itself).
 * Merged here, once per batch; a role that does not own the index leaves it
 * to autovacuum rather than fail the ingestion.
 */
const MERGE_PENDING_TEXT_INDEX = `do $$
begin
  perform gin_clean_pending_list('knowledge_chunks_tsv_gin'::regclass);
exception when insufficient_privilege then null;
end
$$`;

export async function hasEmbeddingColumn(em: EntityManager): Promise<boolean> {
  const rows = await em.execute<unknown[]>(
    `select 1 from information_schema.columns
     where table_schema = current_schema() and table_name = 'knowledge_chunks' and column_name = 'embedding'`,
  );
  return rows.length > 0;
}
