import { randomUUID } from 'node:crypto';
import type { IngestionDto, IngestionStage, IngestionStatus } from '@leaddesk/shared';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ChunkDraft } from '../chunk/chunk-sections.js';

/** The `knowledge_ingestions` table: one row per upload or FAQ batch, with its progress. */
export interface IngestionRow {
  id: string;
  client_id: string;
  knowledge_base_id: string;
  source_id: string;
  source_name: string;
  source_type: string;
  status: IngestionStatus;
  stage: IngestionStage;
  total_chunks: number;
  embedded_chunks: number;
  stored_chunks: number;
  duplicate_chunks: number;
  attempts: number;
  error: string | null;
  created_at: Date | string;
  updated_at: Date | string;
  completed_at: Date | string | null;
}

export interface IngestionPayload {
  chunks: ChunkDraft[];
}

const COLUMNS = `id, client_id, knowledge_base_id, source_id, source_name, source_type, status, stage, total_chunks,
  embedded_chunks, stored_chunks, duplicate_chunks, attempts, error, created_at, updated_at, completed_at`;

export async function createIngestion(
  em: EntityManager,
  input: {
    clientId: string;
    knowledgeBaseId: string;
    sourceId: string;
    sourceName: string;
    sourceType: string;
    chunks: ChunkDraft[];
  },
): Promise<IngestionRow> {
  const rows = await em.execute<IngestionRow[]>(
    `insert into knowledge_ingestions (id, client_id, knowledge_base_id, source_id, source_name, source_type, total_chunks, payload)
     values (?, ?, ?, ?, ?, ?, ?, ?::jsonb) returning ${COLUMNS}`,
    [
      randomUUID(),
      input.clientId,
      input.knowledgeBaseId,
      input.sourceId,
      input.sourceName,
      input.sourceType,
      input.chunks.length,
      JSON.stringify({ chunks: input.chunks } satisfies IngestionPayload),
    ],
  );
  return rows[0]!;
}

export async function getIngestion(
  em: EntityManager,
  clientId: string,
  id: string,
  knowledgeBaseId?: string,
): Promise<IngestionRow | null> {
  const rows = await em.execute<IngestionRow[]>(
    `select ${COLUMNS} from knowledge_ingestions where id = ? and client_id = ?${knowledgeBaseId ? ' and knowledge_base_id = ?' : ''}`,
    knowledgeBaseId ? [id, clientId, knowledgeBaseId] : [id, clientId],
  );
  return rows[0] ?? null;
}

export async function getIngestionPayload(em: EntityManager, id: string): Promise<IngestionPayload | null> {
  const rows = await em.execute<{ payload: IngestionPayload | null }[]>(
    'select payload from knowledge_ingestions where id = ?',
    [id],
  );
  return rows[0]?.payload ?? null;
}

export async function listIngestions(
  em: EntityManager,
  clientId: string,
  knowledgeBaseId: string,
  page: number,
  pageSize: number,
): Promise<{ rows: IngestionRow[]; total: number }> {
  const rows = await em.execute<IngestionRow[]>(
    `select ${COLUMNS} from knowledge_ingestions where client_id = ? and knowledge_base_id = ?
     order by created_at desc, id desc limit ? offset ?`,
    [clientId, knowledgeBaseId, pageSize, (page - 1) * pageSize],
  );
  const count = await em.execute<{ n: string }[]>(
    'select count(*) as n from knowledge_ingestions where client_id = ? and knowledge_base_id = ?',
    [clientId, knowledgeBaseId],
  );
  return { rows, total: Number(count[0]?.n ?? 0) };
}

type Patch = Partial<
  Pick<
    IngestionRow,
    'status' | 'stage' | 'embedded_chunks' | 'stored_chunks' | 'duplicate_chunks' | 'attempts' | 'error'
  >
> & { completed?: boolean; dropPayload?: boolean };

export async function updateIngestion(em: EntityManager, id: string, patch: Patch): Promise<IngestionRow | null> {
  const sets: string[] = ['updated_at = now()'];
  const params: unknown[] = [];
  for (const key of [
    'status',
    'stage',
    'embedded_chunks',
    'stored_chunks',
    'duplicate_chunks',
    'attempts',
    'error',
  ] as const) {
    if (key in patch) {
      sets.push(`${key} = ?`);
      params.push(patch[key] ?? null);
    }
  }
  if (patch.completed) sets.push('completed_at = now()');
  if (patch.dropPayload) sets.push('payload = null');
  const rows = await em.execute<IngestionRow[]>(
    `update knowledge_ingestions set ${sets.join(', ')} where id = ? returning ${COLUMNS}`,
    [...params, id],
  );
  return rows[0] ?? null;
}

export function ingestionToDto(row: IngestionRow): IngestionDto {
  const total = row.total_chunks;
  const progress =
    row.status === 'completed'
      ? 1
      : total === 0
        ? 0
        : // Embedding is most of the work; storing is the last tenth.
          Math.min(0.99, (row.embedded_chunks / total) * 0.9 + (row.stage === 'storing' ? 0.05 : 0));
  return {
    id: row.id,
    knowledgeBaseId: row.knowledge_base_id,
    sourceId: row.source_id,
    sourceName: row.source_name,
    sourceType: row.source_type,
    status: row.status,
    stage: row.stage,
    totalChunks: total,
    embeddedChunks: row.embedded_chunks,
    storedChunks: row.stored_chunks,
    duplicateChunks: row.duplicate_chunks,
    progress: Math.round(progress * 1000) / 1000,
    attempts: row.attempts,
    error: row.error,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    completedAt: row.completed_at ? iso(row.completed_at) : null,
  };
}

export function iso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
