import type { QuestionCluster } from '@leaddesk/shared';
import { fold, type QuestionLanguage, questionTerms } from './normalize-question.js';

export interface AskedQuestion {
  text: string;
  language: QuestionLanguage;
  /** The knowledge base could not answer it (a knowledge gap was recorded for it). */
  unanswered: boolean;
}

/** Two term sets ask the same thing when they share at least half their terms (Jaccard ≥ 0.5). */
export const SAME_QUESTION = 0.5;

export interface ClusterResult {
  clusters: QuestionCluster[];
  /** Questions with no term left ("How much?"). */
  unclustered: number;
}

/** Questions with identical terms, biggest first (then the fewest terms: the most general wording; then A–Z). */
export interface TermGroup {
  terms: string[];
  members: AskedQuestion[];
}

export function termGroups(questions: AskedQuestion[]): { groups: TermGroup[]; unclustered: number } {
  const byKey = new Map<string, TermGroup>();
  let unclustered = 0;
  // Many questions are the same wording: normalise each (language, text) once.
  const termsOf = new Map<string, string[]>();
  for (const q of questions) {
    const textKey = `${q.language}:${q.text}`;
    const terms = termsOf.get(textKey) ?? questionTerms(q.text, q.language);
    termsOf.set(textKey, terms);
    if (terms.length === 0) {
      unclustered++;
      continue;
    }
    const key = terms.join(' ');
    const group = byKey.get(key) ?? { terms, members: [] };
    group.members.push(q);
    byKey.set(key, group);
  }
  const groups = [...byKey.values()].sort(
    (a, b) =>
      b.members.length - a.members.length ||
      a.terms.length - b.terms.length ||
      (a.terms.join(' ') < b.terms.join(' ') ? -1 : 1),
  );
  return { groups, unclustered };
}

/**
 * Leader clustering by text, deterministic and O(questions × clusters): the
 * term groups in order, each joining the first cluster whose leader's terms
 * it resembles (Jaccard ≥ 0.5), else leading a new one. A leader never
 * changes, so a cluster cannot drift away from what its first question asked.
 */
export function clusterQuestions(questions: AskedQuestion[], limit: number): ClusterResult {
  const { groups, unclustered } = termGroups(questions);
  const clusters: Array<{ leader: string[]; members: AskedQuestion[] }> = [];
  for (const g of groups) {
    const home = clusters.find((c) => jaccard(c.leader, g.terms) >= SAME_QUESTION);
    if (home) home.members.push(...g.members);
    else clusters.push({ leader: g.terms, members: [...g.members] });
  }
  return { unclustered, clusters: summariseClusters(clusters, limit) };
}

/** The `limit` biggest clusters (ties: by representative, A–Z), each summarised. */
export function summariseClusters(
  clusters: Array<{ leader: string[]; members: AskedQuestion[] }>,
  limit: number,
): QuestionCluster[] {
  return clusters
    .map(summarise)
    .sort((a, b) => b.count - a.count || a.representative.localeCompare(b.representative))
    .slice(0, limit);
}

function summarise(c: { leader: string[]; members: AskedQuestion[] }): QuestionCluster {
  // The wording asked most often (compared without case, accents or extra spaces); ties: the shortest, then A–Z.
  const byWording = new Map<string, { text: string; n: number }>();
  const keyOf = new Map<string, string>();
  for (const m of c.members) {
    const text = m.text.trim().replace(/\s+/g, ' ');
    const key = keyOf.get(text) ?? fold(text);
    keyOf.set(text, key);
    const seen = byWording.get(key);
    if (seen) seen.n++;
    else byWording.set(key, { text, n: 1 });
  }
  const wordings = [...byWording.values()].sort(
    (a, b) => b.n - a.n || a.text.length - b.text.length || a.text.localeCompare(b.text),
  );
  const unanswered = c.members.filter((m) => m.unanswered).length;
  return {
    representative: wordings[0]?.text ?? '',
    count: c.members.length,
    terms: c.leader,
    languages: [...new Set(c.members.map((m) => m.language))].sort(),
    examples: wordings.slice(1, 6).map((w) => w.text),
    unanswered,
    answered: unanswered === 0,
  };
}

export function jaccard(a: string[], b: string[]): number {
  const setB = new Set(b);
  const shared = a.filter((t) => setB.has(t)).length;
  const union = new Set([...a, ...b]).size;
  return union === 0 ? 0 : shared / union;
}
