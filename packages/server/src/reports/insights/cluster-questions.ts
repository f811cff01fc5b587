import type { QuestionCluster } from '@leaddesk/shared';
import { fold, type QuestionLanguage, questionTerms } from './normalize-question.js';

export interface AskedQuestion {
  text: string;
  language: QuestionLanguage;
  /** The knowledge base could not answer it (a knowledge gap was recorded for it). */
  unanswered: boolean;
}

/**
 * One wording as the daily rollup keeps it (question-rollup.ts): `n` questions
 * of the same folded text in one language, `unanswered` of them knowledge
 * gaps, with their terms computed when the day was rolled up. A single
 * question is a wording with `n` 1.
 */
export interface AskedWording {
  text: string;
  language: QuestionLanguage;
  n: number;
  unanswered: number;
  /** Computed from the text and language when absent. */
  terms?: string[];
}

export const asWording = (q: AskedQuestion): AskedWording => ({
  text: q.text,
  language: q.language,
  n: 1,
  unanswered: q.unanswered ? 1 : 0,
});

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
  /** Its questions. */
  n: number;
  /** In the order given (the rollup's read gives the most asked first). */
  members: AskedWording[];
}

export function termGroups(wordings: AskedWording[]): { groups: TermGroup[]; unclustered: number } {
  const byKey = new Map<string, TermGroup>();
  let unclustered = 0;
  // Many questions are the same wording: normalise each (language, text) once.
  const termsOf = new Map<string, string[]>();
  for (const w of wordings) {
    const textKey = `${w.language}:${w.text}`;
    const terms = w.terms ?? termsOf.get(textKey) ?? questionTerms(w.text, w.language);
    termsOf.set(textKey, terms);
    if (terms.length === 0) {
      unclustered += w.n;
      continue;
    }
    const key = terms.join(' ');
    const group = byKey.get(key) ?? { terms, n: 0, members: [] };
    group.members.push(w);
    group.n += w.n;
    byKey.set(key, group);
  }
  const groups = [...byKey.values()].sort(
    (a, b) => b.n - a.n || a.terms.length - b.terms.length || (a.terms.join(' ') < b.terms.join(' ') ? -1 : 1),
  );
  return { groups, unclustered };
}

/**
 * Leader clustering by text, deterministic and O(questions × clusters): the
 * term groups in order, each joining the first cluster whose leader's terms
 * it resembles (Jaccard ≥ 0.5), else leading a new one. A leader never
 * changes, so a cluster cannot drift away from what its first question asked.
 */
export function clusterQuestions(questions: Array<AskedQuestion | AskedWording>, limit: number): ClusterResult {
  const { groups, unclustered } = termGroups(questions.map((q) => ('n' in q ? q : asWording(q))));
  const clusters: Array<{ leader: string[]; members: AskedWording[] }> = [];
  // A leader can only be resembled by a group sharing one of its terms: count the shared terms of those
  // clusters through an index by term, rather than computing the Jaccard index against every cluster (5,000
  // wordings of free text made thousands of clusters: ~400 ms). Terms are unique per group, so
  // shared / (|leader| + |group| − shared) is the Jaccard index; the first such cluster in creation order is
  // taken, as a scan of all of them would.
  const byTerm = new Map<string, number[]>();
  const shared = new Int32Array(groups.length);
  for (const g of groups) {
    const touched: number[] = [];
    for (const t of g.terms) {
      for (const i of byTerm.get(t) ?? []) {
        if (shared[i] === 0) touched.push(i);
        shared[i] = (shared[i] ?? 0) + 1;
      }
    }
    let home = -1;
    for (const i of touched) {
      const n = shared[i] ?? 0;
      const leader = (clusters[i] as { leader: string[] }).leader;
      if ((home === -1 || i < home) && n / (leader.length + g.terms.length - n) >= SAME_QUESTION) home = i;
      shared[i] = 0;
    }
    if (home !== -1) (clusters[home] as { members: AskedWording[] }).members.push(...g.members);
    else {
      for (const t of g.terms) {
        const list = byTerm.get(t);
        if (list) list.push(clusters.length);
        else byTerm.set(t, [clusters.length]);
      }
      clusters.push({ leader: g.terms, members: [...g.members] });
    }
  }
  return { unclustered, clusters: summariseClusters(clusters, limit) };
}

/** The `limit` biggest clusters (ties: by representative, A–Z), each summarised. */
export function summariseClusters(
  clusters: Array<{ leader: string[]; members: AskedWording[] }>,
  limit: number,
): QuestionCluster[] {
  return clusters
    .map(summarise)
    .sort((a, b) => b.count - a.count || a.representative.localeCompare(b.representative))
    .slice(0, limit);
}

function summarise(c: { leader: string[]; members: AskedWording[] }): QuestionCluster {
  // The wording asked most often (compared without case, accents or extra spaces); ties: the shortest, then A–Z.
  const byWording = new Map<string, { text: string; n: number }>();
  const keyOf = new Map<string, string>();
  for (const m of c.members) {
    const text = wordingText(m.text);
    const key = keyOf.get(text) ?? fold(text);
    keyOf.set(text, key);
    const seen = byWording.get(key);
    if (seen) seen.n += m.n;
    else byWording.set(key, { text, n: m.n });
  }
  const wordings = [...byWording.values()].sort(
    (a, b) => b.n - a.n || a.text.length - b.text.length || a.text.localeCompare(b.text),
  );
  const unanswered = c.members.reduce((s, m) => s + m.unanswered, 0);
  return {
    representative: wordings[0]?.text ?? '',
    count: c.members.reduce((s, m) => s + m.n, 0),
    terms: c.leader,
    languages: [...new Set(c.members.map((m) => m.language))].sort(),
    examples: wordings.slice(1, 6).map((w) => w.text),
    unanswered,
    answered: unanswered === 0,
  };
}

/** A wording as shown: trimmed, inner spaces collapsed. */
export const wordingText = (text: string): string => text.trim().replace(/\s+/g, ' ');

export function jaccard(a: string[], b: string[]): number {
  const setB = new Set(b);
  const shared = a.filter((t) => setB.has(t)).length;
  const union = new Set([...a, ...b]).size;
  return union === 0 ? 0 : shared / union;
}
