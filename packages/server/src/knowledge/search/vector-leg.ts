import { toVectorLiteral } from '../embed/embedder.js';
import type { SqlFragment } from './full-text-leg.js';

export interface VectorLegInput {
  clientId: string;
  embedding: number[];
  knowledgeBaseId?: string;
  /** How many nearest chunks the leg hands to the fusion. */
  limit: number;
}

/**
 * The vector leg, as a fragment of the one search statement: the tenant's
 * nearest chunks by cosine distance through the HNSW index. The query vector
 * is parsed once (`query_vector` CTE) and read by the index scan as an
 * InitPlan value. With pgvector ≥ 0.8 the caller turns on iterative scans, so
 * that the tenant filter, applied to the graph's candidates, still leaves
 * `limit` rows when other tenants own most of the graph. The statement must
 * define `hnsw_settings` (one boolean `ok`): the settings the scan runs with.
 */
export function vectorLeg(input: VectorLegInput): { queryVector: SqlFragment; leg: SqlFragment } {
  const kb = input.knowledgeBaseId ? ' and c.knowledge_base_id = ?' : '';
  return {
    queryVector: { text: 'select ?::vector as v', params: [toVectorLiteral(input.embedding)] },
    leg: {
      text: `select n.id, n.language, 1 - n.distance as similarity
        from (select c.id, c.language, c.embedding <=> (select v from query_vector) as distance
          from knowledge_chunks c
          where c.client_id = ?${kb} and c.embedding is not null
          order by c.embedding <=> (select v from query_vector) limit ?) n
        -- The HNSW settings (hybrid-search.ts): a one-time filter, evaluated before the scan starts.
        where (select ok from hnsw_settings)`,
      params: [input.clientId, ...(input.knowledgeBaseId ? [input.knowledgeBaseId] : []), input.limit],
    },
  };
}

/** One row of the vector leg: a chunk of the tenant and its cosine similarity to the question. */
export interface VectorLegRow {
  id: string;
  language: string;
  similarity: number;
}

/**
 * The vector leg as a statement of its own, with its HNSW settings: sent
 * unnamed (planned for this tenant and vector every time; a cached generic
 * plan of it would leave the HNSW index for an exact sort of the tenant's
 * chunks). `hnsw_settings` sets ef_search, and with pgvector ≥ 0.8 iterative
 * scans, with set_config(…, true): they last until the statement's implicit
 * transaction ends, so nothing leaks into the pooled connection.
 */
export function vectorLegStatement(input: VectorLegInput & { efSearch: number; iterativeScan?: boolean }): SqlFragment {
  const { queryVector, leg } = vectorLeg(input);
  const settings = `select set_config('hnsw.ef_search', ?, true) is not null${
    input.iterativeScan ? ` and set_config('hnsw.iterative_scan', 'relaxed_order', true) is not null` : ''
  } as ok`;
  return {
    text: `with hnsw_settings as (${settings}), query_vector as (${queryVector.text}) ${leg.text}`,
    params: [String(input.efSearch), ...queryVector.params, ...leg.params],
  };
}
