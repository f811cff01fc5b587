import type { KnowledgeHitDto, KnowledgeSearchMode } from '@leaddesk/shared';
import type { Sql } from '../../db/sql.js';
import { toVectorLiteral } from '../embed/embedder.js';
import { fullTextLeg, type TextRow } from './full-text-leg.js';
import { reciprocalRankFusion } from './reciprocal-rank-fusion.js';

export interface SearchOptions {
  clientId: string;
  query: string;
  k: number;
  knowledgeBaseId?: string;
  /** The query's embedding; without it the search is full text only. */
  queryEmbedding?: number[] | null;
  /** pgvector ≥ 0.8: let the HNSW scan keep going until the tenant filter is satisfied. */
  iterativeScan?: boolean;
  /** The languages of the tenant's knowledge bases, when the caller already read them (one round trip less). */
  languages?: string[];
}

export interface SearchResult {
  mode: KnowledgeSearchMode;
  hits: KnowledgeHitDto[];
}

interface VectorRow {
  id: string;
  similarity: number;
}
interface ChunkRow {
  id: string;
  knowledge_base_id: string;
  content: string;
  source_id: string;
  source_name: string;
  source_type: string;
  position: number;
  metadata: { heading?: string | null } | null;
}

/**
 * Hybrid retrieval: a full-text leg (per knowledge-base language, GIN index,
 * ts_rank_cd over a planned candidate set: full-text-leg.ts) and, when there is a query embedding, a vector leg (HNSW cosine),
 * fused with Reciprocal Rank Fusion. Every statement filters by client first:
 * no leg can return another tenant's chunk.
 */
export async function hybridSearch(db: Sql, options: SearchOptions): Promise<SearchResult> {
  const candidates = Math.max(options.k * 4, 20);
  const text = usesSearchSyntax(options.query)
    ? await searchSyntaxLeg(db, options, candidates)
    : await fullTextLeg(db, { ...options, limit: candidates });
  const vector = options.queryEmbedding ? await vectorLeg(db, options, options.queryEmbedding, candidates) : [];

  const fused = reciprocalRankFusion([text.map((r) => r.id), vector.map((r) => r.id)]);
  const top = [...fused.entries()].sort((a, b) => b[1] - a[1]).slice(0, options.k);
  if (top.length === 0) return { mode: options.queryEmbedding ? 'hybrid' : 'full_text', hits: [] };

  const chunks = await db.query<ChunkRow[]>(
    `select id, knowledge_base_id, content, source_id, source_name, source_type, position, metadata
     from knowledge_chunks where client_id = ? and id = any(?::uuid[])`,
    [options.clientId, top.map(([id]) => id)],
  );
  const byId = new Map(chunks.map((c) => [c.id, c]));
  const textIndex = new Map(text.map((r, i) => [r.id, { r, rank: i + 1 }]));
  const vectorIndex = new Map(vector.map((r, i) => [r.id, { r, rank: i + 1 }]));

  const hits: KnowledgeHitDto[] = [];
  for (const [id, score] of top) {
    const chunk = byId.get(id);
    if (!chunk) continue;
    const t = textIndex.get(id);
    const v = vectorIndex.get(id);
    hits.push({
      chunkId: id,
      knowledgeBaseId: chunk.knowledge_base_id,
      content: chunk.content,
      score: round(score),
      legs: {
        fullText: t
          ? {
              rank: t.rank,
              score: round(t.r.score),
              coverage: t.r.queryTerms ? round(t.r.matched / t.r.queryTerms) : 0,
            }
          : null,
        vector: v ? { rank: v.rank, score: round(Number(v.r.similarity)) } : null,
      },
      source: {
        id: chunk.source_id,
        name: chunk.source_name,
        type: chunk.source_type,
        position: chunk.position,
        heading: chunk.metadata?.heading ?? null,
      },
    });
  }
  return { mode: options.queryEmbedding ? 'hybrid' : 'full_text', hits };
}

async function tenantLanguages(db: Sql, clientId: string, knowledgeBaseId?: string): Promise<string[]> {
  const rows = await db.query<{ language: string }[]>(
    `select distinct language from knowledge_bases where client_id = ?${knowledgeBaseId ? ' and id = ?' : ''}`,
    knowledgeBaseId ? [clientId, knowledgeBaseId] : [clientId],
  );
  return rows.map((r) => r.language);
}

/**
 * A plain question ("how much is whitening for kids") is an OR of its words,
 * ranked by cover density, so a chunk need not contain every word
 * (full-text-leg.ts). Search syntax ("quoted phrase", -exclusion, or) keeps
 * websearch semantics: every matching chunk is ranked, as staff asked for it.
 */
function usesSearchSyntax(query: string): boolean {
  return /"|(^|\s)-\S|\sor\s/i.test(query);
}

async function searchSyntaxLeg(db: Sql, options: SearchOptions, limit: number): Promise<TextRow[]> {
  const languages =
    options.languages && !options.knowledgeBaseId
      ? options.languages
      : await tenantLanguages(db, options.clientId, options.knowledgeBaseId);
  if (languages.length === 0) return [];
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const language of languages) {
    parts.push(`(select r.id, r.score,
        (select count(*) from unnest(tsvector_to_array(c.tsv)) w
          where w = any (tsvector_to_array(to_tsvector(?::regconfig, ?))))::int as matched,
        coalesce(array_length(tsvector_to_array(to_tsvector(?::regconfig, ?)), 1), 0) as query_terms
      from (select c.id, ts_rank_cd(c.tsv, websearch_to_tsquery(?::regconfig, ?), 32) as score
        from knowledge_chunks c
        where c.client_id = ?${options.knowledgeBaseId ? ' and c.knowledge_base_id = ?' : ''} and c.language = ?
          and c.tsv @@ websearch_to_tsquery(?::regconfig, ?)
        order by score desc, c.id limit ?) r
      join knowledge_chunks c on c.id = r.id)`);
    params.push(language, options.query, language, options.query, language, options.query, options.clientId);
    if (options.knowledgeBaseId) params.push(options.knowledgeBaseId);
    params.push(language, language, options.query, limit);
  }
  const rows = await db.query<Array<{ id: string; score: number; matched: number; query_terms: number }>>(
    `select * from (${parts.join(' union all ')}) t order by score desc, id limit ?`,
    [...params, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    score: Number(r.score),
    matched: Number(r.matched),
    queryTerms: Number(r.query_terms),
  }));
}

async function vectorLeg(db: Sql, options: SearchOptions, embedding: number[], limit: number): Promise<VectorRow[]> {
  const literal = toVectorLiteral(embedding);
  const sql = `select id, 1 - (embedding <=> ?::vector) as similarity from knowledge_chunks
     where client_id = ?${options.knowledgeBaseId ? ' and knowledge_base_id = ?' : ''} and embedding is not null
     order by embedding <=> ?::vector limit ?`;
  const params = [
    literal,
    options.clientId,
    ...(options.knowledgeBaseId ? [options.knowledgeBaseId] : []),
    literal,
    limit,
  ];
  const efSearch = String(Math.min(1000, Math.max(40, limit * 2)));
  const rows = await db.transaction(async (tx) => {
    // The HNSW graph spans all tenants; without iterative scans a tenant filter
    // applied after the first ef_search candidates could leave too few rows.
    // Both settings in one statement: each round trip counts on the embedded database.
    await tx.query(
      options.iterativeScan
        ? `select set_config('hnsw.ef_search', ?, true), set_config('hnsw.iterative_scan', 'relaxed_order', true)`
        : `select set_config('hnsw.ef_search', ?, true)`,
      [efSearch],
    );
    return tx.query<VectorRow[]>(sql, params);
  });
  // relaxed_order may return near-ties slightly out of order.
  return [...rows].sort((a, b) => Number(b.similarity) - Number(a.similarity));
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
