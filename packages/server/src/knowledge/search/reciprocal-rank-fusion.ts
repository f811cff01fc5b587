/**
 * Reciprocal Rank Fusion (Cormack et al., 2009): each list votes 1/(k + rank)
 * for its items. Ranks, not scores, are fused, so ts_rank_cd and cosine
 * similarity never need to be put on one scale. k = 60 is the paper's value.
 * The search fuses in SQL (hybrid-search.ts) with the same k; this function is
 * the reference its tests compare against.
 */
export const RRF_K = 60;

export function reciprocalRankFusion(lists: string[][], k = RRF_K): Map<string, number> {
  const fused = new Map<string, number>();
  for (const list of lists) {
    list.forEach((id, i) => {
      fused.set(id, (fused.get(id) ?? 0) + 1 / (k + i + 1));
    });
  }
  return fused;
}
