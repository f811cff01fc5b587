import type { KnowledgeHitDto, KnowledgeSearchMode } from '@leaddesk/shared';
import type { Sql } from '../../db/sql.js';
import { textSearchConfigFor } from '../language.js';
import { fullTextLeg, type SqlFragment } from './full-text-leg.js';
import { RRF_K } from './reciprocal-rank-fusion.js';
import { type VectorLegRow, vectorLegStatement } from './vector-leg.js';

export interface SearchOptions {
  clientId: string;
  query: string;
  /** Hits returned (per language group with `preferLanguage`). */
  k: number;
  knowledgeBaseId?: string;
  /** The query's embedding; without it the search is full text only. */
  queryEmbedding?: number[] | null;
  /** pgvector ≥ 0.8: let the HNSW scan keep going until the tenant filter is satisfied. */
  iterativeScan?: boolean;
  /** The languages of the tenant's knowledge bases, when the caller already read them. */
  languages?: string[];
  /**
   * The visitor's language (a locale such as `es-MX` or a text-search
   * configuration such as `spanish`). Hits from chunks in that language come
   * first, ranked among themselves, and up to `k` of them are returned; then
   * up to `k` hits from the other languages, ranked among themselves. One
   * search instead of one per language.
   */
  preferLanguage?: string;
}

export type SearchHit = KnowledgeHitDto;

export interface SearchResult {
  mode: KnowledgeSearchMode;
  hits: SearchHit[];
}

interface HitRow {
  id: string;
  knowledge_base_id: string;
  content: string;
  source_id: string;
  source_name: string;
  source_type: string;
  position: number;
  metadata: { heading?: string | null } | null;
  language: string;
  score: number;
  text_rank: string | null;
  text_score: number | null;
  matched: number | null;
  query_terms: number | null;
  vector_rank: string | null;
  similarity: number | null;
}

/**
 * Hybrid retrieval in two statements: with a query embedding, the vector leg
 * first (HNSW cosine: vector-leg.ts), then one statement holding the
 * full-text leg (per knowledge-base language, GIN index, ts_rank_cd over a
 * planned candidate set: full-text-leg.ts), the Reciprocal Rank Fusion of
 * both and the chunks' text. Each leg filters by client first: no leg can
 * return another tenant's chunk, and the final join checks the client again.
 *
 * Why two: the vector leg must be planned for its tenant and vector on every
 * run (sent unnamed: a named statement may fall back to its generic plan after
 * five runs, and that plan leaves the HNSW index for a scan computing every
 * chunk's distance, 38 ms vs 9 ms at 10,000 chunks on PGlite). Planning the
 * whole search every time cost about 4 ms of 13 on PGlite (EXPLAIN), more
 * than the round trip it saved; the full-text statement, named, keeps its
 * cached plan, which depends on no value.
 */
export async function hybridSearch(db: Pick<Sql, 'query'>, options: SearchOptions): Promise<SearchResult> {
  const mode: KnowledgeSearchMode = options.queryEmbedding ? 'hybrid' : 'full_text';
  let vectorRows: VectorLegRow[] | undefined;
  if (options.queryEmbedding) {
    const vector = vectorLegStatement({
      clientId: options.clientId,
      embedding: options.queryEmbedding,
      knowledgeBaseId: options.knowledgeBaseId,
      limit: legLimit(options.k),
      efSearch: efSearch(options.k),
      iterativeScan: options.iterativeScan,
    });
    vectorRows = await db.query<VectorLegRow[]>(vector.text, vector.params, { unnamed: true });
  }
  const statement = searchStatement(options, vectorRows);
  const rows = await db.query<HitRow[]>(statement.text, statement.params);
  return { mode, hits: rows.map(toHit) };
}

/** Candidates each leg hands to the fusion. */
const legLimit = (k: number) => Math.max(k * 4, 20);
const efSearch = (k: number) => Math.min(1000, Math.max(40, legLimit(k) * 2));

/**
 * The search after its vector leg: the full-text leg, fused with the vector
 * leg's rows when there are any (exported for EXPLAIN in the benchmark).
 */
export function searchStatement(options: SearchOptions, vectorRows?: VectorLegRow[]): SqlFragment {
  const limit = legLimit(options.k);
  const params: unknown[] = [];
  const ctes: string[] = [];
  const add = (name: string, fragment: SqlFragment) => {
    ctes.push(`${name} as (${fragment.text})`);
    params.push(...fragment.params);
  };

  const given = options.languages && !options.knowledgeBaseId;
  add(
    'langs',
    given
      ? { text: 'select distinct unnest(?::text[]) as language', params: [options.languages] }
      : {
          text: `select distinct language from knowledge_bases where client_id = ?${options.knowledgeBaseId ? ' and id = ?' : ''}`,
          params: [options.clientId, ...(options.knowledgeBaseId ? [options.knowledgeBaseId] : [])],
        },
  );
  // Rows are ranked within their group: the preferred language's, then the others'.
  const prefer = options.preferLanguage ? textSearchConfigFor(options.preferLanguage) : null;
  const group = (column: string) => (prefer ? `(${column} = ?)` : 'true');
  const groupParams = prefer ? [prefer] : [];

  add('text_leg', fullTextLeg({ ...options, limit }));
  add('text_hits', {
    text: `select * from (select t.*, row_number() over (partition by ${group('t.language')} order by t.score desc, t.id) as rank
      from text_leg t) t where t.rank <= ?`,
    params: [...groupParams, limit],
  });
  let vectorJoin = '';
  let vectorColumns = 'null::bigint as vector_rank, null::float8 as similarity';
  if (vectorRows) {
    add('vector_leg', {
      text: 'select * from unnest(?::uuid[], ?::text[], ?::float8[]) as v(id, language, similarity)',
      params: [vectorRows.map((r) => r.id), vectorRows.map((r) => r.language), vectorRows.map((r) => r.similarity)],
    });
    add('vector_hits', {
      text: `select v.*, row_number() over (partition by ${group('v.language')} order by v.similarity desc, v.id) as rank
        from vector_leg v`,
      params: groupParams,
    });
    vectorJoin = 'full join vector_hits v on v.id = t.id';
    vectorColumns = 'v.rank as vector_rank, v.similarity';
  }
  // Reciprocal Rank Fusion: each leg votes 1/(RRF_K + rank). Ties keep the text leg's order, then the vector leg's.
  const fused = `select coalesce(t.id, ${vectorRows ? 'v.id' : 'null'}) as id,
      coalesce(1::float8 / (${RRF_K} + t.rank), 0)${vectorRows ? ` + coalesce(1::float8 / (${RRF_K} + v.rank), 0)` : ''} as score,
      t.rank as text_rank, t.score as text_score, t.matched, t.query_terms, ${vectorColumns}
    from text_hits t ${vectorJoin}`;
  const text = `with ${ctes.join(',\n')}
    select * from (
      select f.*, c.knowledge_base_id, c.content, c.source_id, c.source_name, c.source_type, c.position, c.metadata,
        c.language, row_number() over (partition by ${group('c.language')}
          order by f.score desc, f.text_rank nulls last, f.vector_rank nulls last) as n
      from (${fused}) f join knowledge_chunks c on c.id = f.id
      where c.client_id = ?) h
    where h.n <= ?
    order by ${prefer ? '(h.language = ?) desc, ' : ''}h.score desc, h.text_rank nulls last, h.vector_rank nulls last`;
  params.push(...groupParams, options.clientId, options.k, ...groupParams);
  return { text, params };
}

function toHit(row: HitRow): SearchHit {
  const textRank = row.text_rank === null ? null : Number(row.text_rank);
  const vectorRank = row.vector_rank === null ? null : Number(row.vector_rank);
  const queryTerms = Number(row.query_terms ?? 0);
  return {
    chunkId: row.id,
    knowledgeBaseId: row.knowledge_base_id,
    content: row.content,
    score: round(Number(row.score)),
    language: row.language,
    legs: {
      fullText:
        textRank === null
          ? null
          : {
              rank: textRank,
              score: round(Number(row.text_score)),
              coverage: queryTerms ? round(Number(row.matched) / queryTerms) : 0,
            },
      vector: vectorRank === null ? null : { rank: vectorRank, score: round(Number(row.similarity)) },
    },
    source: {
      id: row.source_id,
      name: row.source_name,
      type: row.source_type,
      position: row.position,
      heading: row.metadata?.heading ?? null,
    },
  };
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
