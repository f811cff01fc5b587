/**
 * Which chunks the full-text leg ranks, decided from how many of the tenant's
 * chunks hold each query word.
 *
 * A question becomes an OR of its words, and ranking every chunk that holds
 * any of them reads thousands of rows when a word is common ("price" in a
 * price list): about 150 ms at 10,000 chunks. So each word's document
 * frequency is counted first, up to the budget (an index probe that stops at
 * `budget + 1` rows), and the rows to rank are taken in this order, at most
 * `budget` in all:
 *
 * 1. every chunk holding one of the rare words (the rarest first, while their
 *    frequencies add up to no more than the budget): the words that single a
 *    chunk out ("whitening", "cancellation");
 * 2. the chunks holding all of the common words together;
 * 3. the chunks holding some common word, until the budget is full.
 *
 * When the matching chunks fit in the budget (any knowledge base of a few
 * hundred chunks), step 1 takes them all and the result is exactly the
 * exhaustive ranking. Only past it are chunks that share nothing but common
 * words with the question left out — the ones that rank last anyway.
 */
export interface TermFrequency {
  lexeme: string;
  /** Chunks holding it, counted up to the budget + 1 (so > budget means "common"). */
  chunks: number;
}

export interface CandidatePlan {
  /** Every query lexeme present OR-ed: what the steps, together, match. */
  rankQuery: string;
  /** tsqueries for steps 1–3, in order, each excluding the rows of the ones before it. */
  steps: string[];
  /** Whether the steps reach every matching row (then the ranking is exhaustive). */
  exhaustive: boolean;
}

/** A lexeme as a tsquery operand: quoted, with quotes and backslashes escaped. */
export function tsqueryOperand(lexeme: string): string {
  return `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

const any = (lexemes: string[]) => lexemes.map(tsqueryOperand).join(' | ');
const all = (lexemes: string[]) => lexemes.map(tsqueryOperand).join(' & ');

/** Null when no query word occurs in the tenant's chunks: nothing to rank. */
export function planCandidates(terms: TermFrequency[], budget: number): CandidatePlan | null {
  const present = terms.filter((t) => t.chunks > 0).sort((a, b) => a.chunks - b.chunks || cmp(a.lexeme, b.lexeme));
  if (present.length === 0) return null;
  const lexemes = present.map((t) => t.lexeme);
  const rankQuery = any(lexemes);

  const rare: string[] = [];
  let total = 0;
  for (const t of present) {
    if (total + t.chunks > budget) break;
    total += t.chunks;
    rare.push(t.lexeme);
  }
  const common = lexemes.slice(rare.length);
  if (common.length === 0) return { rankQuery, steps: [rankQuery], exhaustive: true };

  const steps: string[] = [];
  const notRare = rare.length ? ` & !(${any(rare)})` : '';
  if (rare.length) steps.push(any(rare));
  if (common.length > 1) steps.push(`(${all(common)})${notRare}`);
  steps.push(`(${any(common)})${notRare}${common.length > 1 ? ` & !(${all(common)})` : ''}`);
  return { rankQuery, steps, exhaustive: false };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
