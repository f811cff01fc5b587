import { randomUUID } from 'node:crypto';
import type {
  CreateKnowledgeBaseInput,
  KnowledgeBaseDto,
  KnowledgeChunkDto,
  KnowledgeLanguage,
} from '@leaddesk/shared';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IClient, type IKnowledgeBase, KnowledgeBase } from '../db/entities/index.js';
import { AppError } from '../errors/app-error.js';
import { iso } from './ingest/ingestion-store.js';
import { textSearchConfigFor } from './language.js';

/** Tenant-scoped knowledge-base records. Every lookup filters by client: another tenant's id is a 404. */
export async function createKnowledgeBase(
  em: EntityManager,
  client: IClient,
  input: CreateKnowledgeBaseInput,
): Promise<KnowledgeBaseDto> {
  const kb = em.create(KnowledgeBase, {
    id: randomUUID(),
    client: client.id,
    name: input.name,
    description: input.description,
    category: input.category,
    language: input.language ?? textSearchConfigFor(client.locale),
  });
  await em.flush();
  return knowledgeBaseToDto(kb, 0);
}

export async function getKnowledgeBase(em: EntityManager, clientId: string, id: string): Promise<IKnowledgeBase> {
  const kb = await em.findOne(KnowledgeBase, { id, client: clientId });
  if (!kb) throw AppError.notFound('knowledge base');
  return kb;
}

export async function chunkCounts(em: EntityManager, clientId: string, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await em.execute<{ knowledge_base_id: string; n: string }[]>(
    `select knowledge_base_id, count(*) as n from knowledge_chunks
     where client_id = ? and knowledge_base_id in (${ids.map(() => '?').join(', ')}) group by knowledge_base_id`,
    [clientId, ...ids],
  );
  return new Map(rows.map((r) => [r.knowledge_base_id, Number(r.n)]));
}

export function knowledgeBaseToDto(kb: IKnowledgeBase, chunkCount: number): KnowledgeBaseDto {
  return {
    id: kb.id,
    name: kb.name,
    description: kb.description,
    category: kb.category,
    language: kb.language as KnowledgeLanguage,
    chunkCount,
    createdAt: kb.createdAt.toISOString(),
    updatedAt: kb.updatedAt.toISOString(),
  };
}

interface ChunkListRow {
  id: string;
  knowledge_base_id: string;
  source_id: string;
  source_name: string;
  source_type: string;
  position: number;
  content: string;
  token_count: number;
  metadata: { heading?: string | null } | null;
  embedded: boolean;
  created_at: Date | string;
}

export async function listChunks(
  em: EntityManager,
  input: {
    clientId: string;
    knowledgeBaseId: string;
    sourceId?: string;
    page: number;
    pageSize: number;
    vectorColumn: boolean;
  },
): Promise<{ rows: KnowledgeChunkDto[]; total: number }> {
  const where = `client_id = ? and knowledge_base_id = ?${input.sourceId ? ' and source_id = ?' : ''}`;
  const params = [input.clientId, input.knowledgeBaseId, ...(input.sourceId ? [input.sourceId] : [])];
  const rows = await em.execute<ChunkListRow[]>(
    `select id, knowledge_base_id, source_id, source_name, source_type, position, content, token_count, metadata,
       ${input.vectorColumn ? 'embedding is not null' : 'false'} as embedded, created_at
     from knowledge_chunks where ${where}
     order by source_name, source_id, position, id limit ? offset ?`,
    [...params, input.pageSize, (input.page - 1) * input.pageSize],
  );
  const count = await em.execute<{ n: string }[]>(`select count(*) as n from knowledge_chunks where ${where}`, params);
  return {
    total: Number(count[0]?.n ?? 0),
    rows: rows.map((r) => ({
      id: r.id,
      knowledgeBaseId: r.knowledge_base_id,
      sourceId: r.source_id,
      sourceName: r.source_name,
      sourceType: r.source_type,
      position: r.position,
      content: r.content,
      tokenCount: r.token_count,
      heading: r.metadata?.heading ?? null,
      embedded: r.embedded,
      createdAt: iso(r.created_at),
    })),
  };
}

export async function deleteChunks(
  em: EntityManager,
  clientId: string,
  knowledgeBaseId: string,
  sourceId?: string,
): Promise<number> {
  const rows = await em.execute<{ id: string }[]>(
    `delete from knowledge_chunks where client_id = ? and knowledge_base_id = ?${sourceId ? ' and source_id = ?' : ''} returning id`,
    sourceId ? [clientId, knowledgeBaseId, sourceId] : [clientId, knowledgeBaseId],
  );
  return rows.length;
}
