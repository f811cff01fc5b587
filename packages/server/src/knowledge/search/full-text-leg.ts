import type { Sql } from '../../db/sql.js';
import { planCandidates, type TermFrequency } from './candidate-plan.js';

export interface FullTextLegOptions {
  clientId: string;
  query: string;
  knowledgeBaseId?: string;
  /** The tenant's knowledge-base languages when the caller already read them. */
  languages?: string[];
  /** How many rows the leg returns. */
  limit: number;
  /**
   * At most this many rows are read and ranked per language (see candidate-plan.ts).
   * @default 60
   */
  budget?: number;
}

export interface TextRow {
  id: string;
  score: number;
  /** Distinct query lexemes the chunk holds. */
  matched: number;
  /** Distinct lexemes of the query in the chunk's language. */
  queryTerms: number;
}

interface TermRow {
  language: string;
  lexeme: string;
  chunks: number;
  rank_query: string;
}

const DEFAULT_BUDGET = 60;

/**
 * What the rows are ranked by and must match: the question's words OR-ed as
 * websearch_to_tsquery reads them (a hyphenated word stays a phrase:
 * "check-out"). The planned steps match a superset of it. Read as text with
 * the lexeme counts and sent back as a tsquery parameter, so that it is not
 * parsed again for every candidate row.
 */
const RANK_QUERY = `replace(websearch_to_tsquery(l.language::regconfig, ?)::text, ' & ', ' | ')`;

/**
 * The full-text leg of a plain question: the query's lexemes in each of the
 * tenant's languages with how many of its chunks hold each (one statement,
 * from knowledge_lexeme_counts),
 * then the planned candidates ranked by cover density (one statement).
 * Every statement filters by client first.
 */
export async function fullTextLeg(db: Sql, options: FullTextLegOptions): Promise<TextRow[]> {
  const budget = options.budget ?? DEFAULT_BUDGET;
  const kb = options.knowledgeBaseId ? ' and c.knowledge_base_id = ?' : '';
  const kbParams = options.knowledgeBaseId ? [options.knowledgeBaseId] : [];
  const useGiven = options.languages && !options.knowledgeBaseId;
  const languages = useGiven
    ? 'unnest(?::text[]) as l(language)'
    : `(select distinct language from knowledge_bases where client_id = ?${options.knowledgeBaseId ? ' and id = ?' : ''}) l`;
  const languageParams = useGiven ? [options.languages] : [options.clientId, ...kbParams];

  const terms = await db.query<TermRow[]>(
    `select l.language, q.lexeme, coalesce(k.chunks, 0) as chunks, ${RANK_QUERY} as rank_query
     from ${languages}
     cross join lateral unnest(tsvector_to_array(to_tsvector(l.language::regconfig, ?))) as q(lexeme)
     left join knowledge_lexeme_counts k on k.client_id = ? and k.language = l.language and k.lexeme = q.lexeme`,
    [options.query, ...languageParams, options.query, options.clientId],
  );

  const byLanguage = new Map<string, TermFrequency[]>();
  const rankQueries = new Map<string, string>();
  for (const t of terms) {
    const list = byLanguage.get(t.language) ?? [];
    list.push({ lexeme: t.lexeme, chunks: Number(t.chunks) });
    byLanguage.set(t.language, list);
    rankQueries.set(t.language, t.rank_query);
  }

  const parts: string[] = [];
  const params: unknown[] = [];
  for (const [language, list] of byLanguage) {
    const plan = planCandidates(list, budget);
    if (!plan) continue;
    const rankQuery = rankQueries.get(language) ?? '';
    // Every candidate holds a query word; only a phrase ("check-out") can still fail to match.
    const phrase = rankQuery.includes('<');
    const steps = plan.steps.map(
      () =>
        `(select id, tsv from knowledge_chunks c where c.client_id = ?${kb} and c.language = ? and c.tsv @@ ?::tsquery)`,
    );
    parts.push(`(select r.id, r.score, ?::int as query_terms,
        (select count(*) from unnest(tsvector_to_array(r.tsv)) w where w = any(?::text[]))::int as matched
      from (select s.id, s.tsv, ts_rank_cd(s.tsv, ?::tsquery, 32) as score
        from (select * from (${steps.join(' union all ')}) u limit ?) s${phrase ? ' where s.tsv @@ ?::tsquery' : ''}
        order by score desc, s.id limit ?) r)`);
    params.push(
      list.length,
      list.map((t) => t.lexeme),
      rankQuery,
    );
    for (const step of plan.steps) params.push(options.clientId, ...kbParams, language, step);
    params.push(budget, ...(phrase ? [rankQuery] : []), options.limit);
  }
  if (parts.length === 0) return [];
  const rows = await db.query<Array<{ id: string; score: number; matched: number; query_terms: number }>>(
    `select * from (${parts.join(' union all ')}) t order by score desc, id limit ?`,
    [...params, options.limit],
  );
  return rows.map((r) => ({
    id: r.id,
    score: Number(r.score),
    matched: Number(r.matched),
    queryTerms: Number(r.query_terms),
  }));
}
