import { type AskedWording, type ClusterResult, summariseClusters, termGroups } from './cluster-questions.js';

/** What the knowledge module's embeddings provider offers (`knowledge/embed/embedder.ts`). */
export interface QuestionEmbedder {
  readonly model: string;
  embed(texts: string[]): Promise<number[][]>;
}

/** Two questions ask the same thing when their embeddings' cosine similarity is at least this. */
export const SAME_MEANING = 0.85;
/** Distinct wordings embedded per report; the rest (the least asked) keep their text clusters. */
export const EMBED_LIMIT = 500;
/** Vectors kept per process, by exact text: a report read again embeds only what is new. */
const CACHE_SIZE = 20_000;

const cache = new Map<string, number[]>();

/**
 * Clusters by meaning: the same term groups as the text clustering (one per
 * set of terms, biggest first), each embedded once by its most asked wording, then
 * leader clustering on cosine similarity ≥ SAME_MEANING, so "how much is a
 * cleaning?" and "¿cuánto cuesta una limpieza?" can meet. One provider call
 * per report at most (what is not cached, in the provider's batches).
 */
export async function clusterByEmbeddings(
  questions: AskedWording[],
  embedder: QuestionEmbedder,
  limit: number,
): Promise<ClusterResult> {
  const { groups, unclustered } = termGroups(questions);
  const embedded = groups.slice(0, EMBED_LIMIT);
  const texts = embedded.map((g) => mostAsked(g.members).trim());
  const missing = [...new Set(texts.filter((t) => !cache.has(t)))];
  if (missing.length > 0) {
    const vectors = await embedder.embed(missing);
    if (cache.size + missing.length > CACHE_SIZE) cache.clear();
    missing.forEach((t, i) => {
      const v = vectors[i];
      if (v) cache.set(t, normalise(v));
    });
  }
  const clusters: Array<{ leader: string[]; vector: number[] | null; members: AskedWording[] }> = [];
  groups.forEach((g, i) => {
    const vector = i < EMBED_LIMIT ? (cache.get(texts[i] as string) ?? null) : null;
    const home = vector ? clusters.find((c) => c.vector && dot(c.vector, vector) >= SAME_MEANING) : undefined;
    if (home) home.members.push(...g.members);
    else clusters.push({ leader: g.terms, vector, members: [...g.members] });
  });
  return { unclustered, clusters: summariseClusters(clusters, limit) };
}

/** The wording asked most often (ties: the first given). */
function mostAsked(members: AskedWording[]): string {
  let best = members[0];
  for (const m of members) if (best && m.n > best.n) best = m;
  return best?.text ?? '';
}

function normalise(v: number[]): number[] {
  const norm = Math.sqrt(dot(v, v)) || 1;
  return v.map((x) => x / norm);
}

function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length && i < b.length; i++) s += (a[i] ?? 0) * (b[i] ?? 0);
  return s;
}
