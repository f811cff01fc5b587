import type { FaqEntry } from '@leaddesk/shared';
import MiniSearch from 'minisearch';
import { fold } from './extract.js';

/**
 * Lexical FAQ matching with MiniSearch (BM25 ranking, fuzzy and prefix terms),
 * one index per tenant FAQ list, rebuilt only when the list changes. The
 * knowledge-base issue replaces this with hybrid search over all documents.
 */
export interface FaqMatch {
  entry: FaqEntry;
  score: number;
  /** Share of the question's meaningful words that the entry contains (0..1). */
  coverage: number;
}

const STOP_WORDS = new Set(
  (
    'a an the is are do does did you your we our us i me my to of in on for at and or with can could would will ' +
    'how what when where which who it be have has there this that please hi hello ' +
    'el la los las un una es son de del en y o con que como cuando donde por para se su sus ustedes hay ' +
    'le les des du et ou est sont avec pour que quand ou vous votre nous je il y a ' +
    'der die das ein eine ist sind und oder mit fur wie wann wo sie ihr wir ich es gibt ' +
    'o os as um uma e sao do da dos das em com para quando onde voces tem ' +
    'il lo gli le uno una e sono di del della in con per che come quando dove voi avete ci'
  ).split(' '),
);

function tokenize(text: string): string[] {
  return fold(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 1 && !STOP_WORDS.has(t));
}

interface CachedIndex {
  key: string;
  index: MiniSearch<{ id: number; question: string; answer: string }>;
}

const cache = new Map<string, CachedIndex>();

function indexFor(clientId: string, faqs: FaqEntry[]): CachedIndex {
  const key = JSON.stringify(faqs);
  const hit = cache.get(clientId);
  if (hit && hit.key === key) return hit;
  const index = new MiniSearch<{ id: number; question: string; answer: string }>({
    fields: ['question', 'answer'],
    tokenize,
    processTerm: (t) => t,
    searchOptions: { boost: { question: 3 }, fuzzy: 0.2, prefix: (t) => t.length > 3, combineWith: 'OR' },
  });
  index.addAll(faqs.map((f, id) => ({ id, question: f.question, answer: f.answer })));
  const built = { key, index };
  if (cache.size > 1000) cache.clear();
  cache.set(clientId, built);
  return built;
}

/** The best FAQ entry for a visitor message, if it is a convincing match. */
export function matchFaq(clientId: string, faqs: FaqEntry[], text: string): FaqMatch | undefined {
  if (!faqs.length) return undefined;
  const terms = tokenize(text);
  if (!terms.length) return undefined;
  const results = indexFor(clientId, faqs).index.search(text);
  const best = results[0];
  if (!best) return undefined;
  const entry = faqs[best.id as number];
  if (!entry) return undefined;
  const matched = new Set(Object.keys(best.match));
  const coverage =
    terms.filter((t) => matched.has(t) || [...matched].some((m) => m.startsWith(t) || t.startsWith(m))).length /
    terms.length;
  // Require either most of the question's words or a strong score on the entry's own question.
  const questionTerms = tokenize(entry.question);
  const questionHits = questionTerms.filter((t) => matched.has(t)).length;
  const convincing = coverage >= 0.5 || (questionHits >= 2 && coverage >= 0.34);
  return convincing ? { entry, score: best.score, coverage } : undefined;
}
