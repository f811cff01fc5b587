/**
 * The full-text leg, as a fragment of the one search statement (hybrid-search.ts).
 *
 * A plain question becomes an OR of its words ranked by cover density
 * (ts_rank_cd), so a chunk need not contain every word. Ranking every chunk
 * that holds any of them reads thousands of rows when a word is common
 * ("price" in a price list), so the rows to rank are planned from how many of
 * the tenant's chunks hold each word, at most `budget` rows per language, in
 * this order:
 *
 * 1. every chunk holding one of the rare words (the rarest first, while their
 *    counts add up to no more than the budget): the words that single a chunk
 *    out ("whitening", "cancellation");
 * 2. the chunks holding all of the common words together;
 * 3. the chunks holding some common word, until the budget is full.
 *
 * When the matching chunks fit in the budget (any knowledge base of a few
 * hundred chunks), step 1 takes them all and the ranking is exactly the
 * exhaustive one. Past it, only chunks that share nothing but common words
 * with the question are left out: the ones that rank last anyway.
 *
 * Everything happens in the index and in one statement: a word's count is a
 * GIN probe for `tenant token & word` that stops at budget + 1 rows (the
 * tenant token: tenant-token.ts), so ingestion keeps no per-word counts; a
 * window sum splits rare from common words; each step is one GIN bitmap scan
 * whose tsquery is a lateral value, so no plan depends on table statistics
 * (which the embedded database never gathers by itself). Search syntax
 * ("quoted phrase", -exclusion, or) keeps websearch semantics instead: every
 * matching chunk is ranked, as staff asked for it.
 */

import { tenantTokenQuery } from './tenant-token.js';

export interface FullTextLegInput {
  clientId: string;
  query: string;
  /** Restricts the leg to one knowledge base. */
  knowledgeBaseId?: string;
  /** How many rows the leg hands to the fusion, per language group. */
  limit: number;
  /**
   * At most this many rows are read and ranked per language.
   * @default 60
   */
  budget?: number;
}

/** A CTE body (`select id, language, score, matched, query_terms …`) and its parameters, in order. */
export interface SqlFragment {
  text: string;
  params: unknown[];
}

export const DEFAULT_BUDGET = 60;

/**
 * A lexeme as a tsquery operand, in SQL: quoted, with backslashes and quotes
 * escaped (so `o'clock` or `a\b` stay one operand and never become operators).
 */
const OPERAND = `'''' || replace(replace(w, '\\', '\\\\'), '''', '''''') || ''''`;

/**
 * The client check on each row the GIN index found through the tenant token
 * (tenant-token.ts). Written as `is true` so that the planner does not also
 * read the tenant's whole client_id btree entry list to AND it in: the token
 * already selected the tenant's rows inside the GIN index.
 */
const ROW_CHECK = '(c.client_id = ?) is true';

/** Whether the query uses websearch syntax that a plain OR would lose. */
export function usesSearchSyntax(query: string): boolean {
  return /"|(^|\s)-\S|\sor\s/i.test(query);
}

/**
 * Rows of the leg for every language in the `langs` CTE (one `language`
 * column): id, language, ts_rank_cd score, how many distinct query lexemes
 * the chunk holds (`matched`) and how many the query has in that language
 * (`query_terms`), at most `limit` per language, best first.
 */
export function fullTextLeg(input: FullTextLegInput): SqlFragment {
  return usesSearchSyntax(input.query) ? searchSyntaxLeg(input) : plannedLeg(input);
}

function plannedLeg(input: FullTextLegInput): SqlFragment {
  const kb = input.knowledgeBaseId ? ' and c.knowledge_base_id = ?' : '';
  const kbParams = input.knowledgeBaseId ? [input.knowledgeBaseId] : [];
  const budget = input.budget ?? DEFAULT_BUDGET;
  const step = (where: string) =>
    `(select c.id, c.tsv from knowledge_chunks c
       where ${where} and ${ROW_CHECK}${kb} and c.language = l.language)`;
  const notRare = 'not coalesce(c.tsv @@ p.rare_any, false)';
  const params: unknown[] = [input.clientId, input.query, input.query, budget, budget, budget, budget + 1];
  for (let i = 0; i < 3; i++) params.push(input.clientId, ...kbParams);
  params.push(budget, input.limit);
  return {
    text: `select r.id, l.language, r.score, r.query_terms,
        (select count(*) from unnest(tsvector_to_array(r.tsv)) w where w = any(q.lexemes))::int as matched
      from langs l
      cross join lateral (
        select ${tenantTokenQuery('l.language')} as token,
          -- The question's words OR-ed as websearch_to_tsquery reads them (a hyphenated word stays a phrase).
          replace(websearch_to_tsquery(l.language::regconfig, ?)::text, ' & ', ' | ')::tsquery as rank_query,
          tsvector_to_array(to_tsvector(l.language::regconfig, ?)) as lexemes
        -- offset 0: computed once per language, not inlined into every row that reads it.
        offset 0) q
      cross join lateral (
        select string_agg(o.operand, ' | ') filter (where o.running <= ?)::tsquery as rare_any,
          string_agg(o.operand, ' & ') filter (where o.running > ?)::tsquery as common_all,
          string_agg(o.operand, ' | ') filter (where o.running > ?)::tsquery as common_any
        from (select f.operand, sum(f.chunks) over (order by f.chunks, f.lexeme) as running
          from (select t.lexeme, t.operand,
              -- How many of the tenant's chunks hold the word, counted up to budget + 1 (more means common).
              -- A word no chunk holds counts 0, sorts first and joins the rare words, where it matches nothing.
              (select count(*) from (select 1 from knowledge_chunks c
                 where c.tsv @@ (q.token && t.operand::tsquery) limit ?) n) as chunks
            from (select w as lexeme, ${OPERAND} as operand from unnest(q.lexemes) w) t
            -- offset 0: each count probed once, not again for the window's sort key.
            offset 0) f) o
        offset 0) p
      cross join lateral (
        select s.id, s.tsv, ts_rank_cd(s.tsv, q.rank_query, 32) as score, cardinality(q.lexemes) as query_terms
        from (${step('c.tsv @@ (q.token && p.rare_any)')}
          union all ${step(`c.tsv @@ (q.token && p.common_all) and ${notRare}`)}
          union all ${step(
            `c.tsv @@ (q.token && p.common_any) and ${notRare} and not coalesce(c.tsv @@ p.common_all, false)`,
          )}
          limit ?) s
        -- Every candidate holds a query word; only a phrase ("check-out") can still fail to match.
        where s.tsv @@ q.rank_query
        order by score desc, s.id limit ?) r`,
    params,
  };
}

function searchSyntaxLeg(input: FullTextLegInput): SqlFragment {
  const kb = input.knowledgeBaseId ? ' and c.knowledge_base_id = ?' : '';
  return {
    text: `select r.id, l.language, r.score, cardinality(q.lexemes) as query_terms,
        (select count(*) from unnest(tsvector_to_array(r.tsv)) w where w = any(q.lexemes))::int as matched
      from langs l
      cross join lateral (
        select ${tenantTokenQuery('l.language')} && websearch_to_tsquery(l.language::regconfig, ?) as query,
          tsvector_to_array(to_tsvector(l.language::regconfig, ?)) as lexemes
        offset 0) q
      cross join lateral (
        select c.id, c.tsv, ts_rank_cd(c.tsv, q.query, 32) as score
        from knowledge_chunks c
        where c.tsv @@ q.query and ${ROW_CHECK}${kb} and c.language = l.language
        order by score desc, c.id limit ?) r`,
    params: [
      input.clientId,
      input.query,
      input.query,
      input.clientId,
      ...(input.knowledgeBaseId ? [input.knowledgeBaseId] : []),
      input.limit,
    ],
  };
}
