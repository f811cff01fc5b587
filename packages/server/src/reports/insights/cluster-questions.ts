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

interface Building {
  leader: string[];
  members: Array<AskedQuestion & { terms: string[] }>;
}

/**
 * Leader clustering, deterministic and O(questions × clusters): questions with
 * identical terms form a group; groups are taken biggest first (then the
 * fewest terms, the most general wording, then A–Z), and each joins the first
 * cluster whose leader's terms it resembles (Jaccard ≥ 0.5), else leads a new one. A leader never changes, so a cluster
 * cannot drift away from what its first question asked.
 */
export function clusterQuestions(
  questions: AskedQuestion[],
  limit: number,
): { clusters: QuestionCluster[]; unclustered: number } {
  const groups = new Map<string, Array<AskedQuestion & { terms: string[] }>>();
  let unclustered = 0;
  for (const q of questions) {
    const terms = questionTerms(q.text, q.language);
    if (terms.length === 0) {
      unclustered++;
      continue;
    }
    const key = terms.join(' ');
    const group = groups.get(key) ?? [];
    group.push({ ...q, terms });
    groups.set(key, group);
  }
  const ordered = [...groups.entries()].sort(
    (a, b) =>
      b[1].length - a[1].length ||
      (a[1][0]?.terms.length ?? 0) - (b[1][0]?.terms.length ?? 0) ||
      (a[0] < b[0] ? -1 : 1),
  );
  const clusters: Building[] = [];
  for (const [, members] of ordered) {
    const terms = members[0]?.terms ?? [];
    const home = clusters.find((c) => jaccard(c.leader, terms) >= SAME_QUESTION);
    if (home) home.members.push(...members);
    else clusters.push({ leader: terms, members: [...members] });
  }
  return {
    unclustered,
    clusters: clusters
      .map(summarise)
      .sort((a, b) => b.count - a.count || a.representative.localeCompare(b.representative))
      .slice(0, limit),
  };
}

function summarise(c: Building): QuestionCluster {
  // The wording asked most often (compared without case, accents or extra spaces); ties: the shortest, then A–Z.
  const byWording = new Map<string, { text: string; n: number }>();
  for (const m of c.members) {
    const text = m.text.trim().replace(/\s+/g, ' ');
    const key = fold(text);
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
