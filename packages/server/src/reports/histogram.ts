/**
 * Response-time histograms that merge across days: a sparse map from bucket
 * index to count. Buckets are 1 s wide below 100 s and grow by 2 % above
 * (100 s … about 40 days in ~530 buckets; a day uses only the few it needs).
 *
 * Error bound: a percentile is found by exact rank over the merged counts
 * (nearest rank, like `percentile_disc`), so only its value is approximate:
 * the reported value is its bucket's midpoint, within 0.5 s of the exact
 * sample below 100 s and within 1 % of it above. Counts and averages (kept as
 * an exact sum) are exact.
 */
export type Histogram = Record<string, number>;

const LINEAR_LIMIT = 100;
const GROWTH = 1.02;
const LOG_GROWTH = Math.log(GROWTH);

export function bucketOf(seconds: number): number {
  const s = Math.max(0, seconds);
  if (s < LINEAR_LIMIT) return Math.floor(s);
  return LINEAR_LIMIT + Math.floor(Math.log(s / LINEAR_LIMIT) / LOG_GROWTH);
}

/** The value a bucket stands for: its midpoint. */
export function bucketValue(bucket: number): number {
  if (bucket < LINEAR_LIMIT) return bucket + 0.5;
  const lower = LINEAR_LIMIT * GROWTH ** (bucket - LINEAR_LIMIT);
  return (lower + lower * GROWTH) / 2;
}

export function addSample(h: Histogram, seconds: number): void {
  const key = String(bucketOf(seconds));
  h[key] = (h[key] ?? 0) + 1;
}

export function mergeInto(target: Histogram, source: Histogram): void {
  for (const [key, n] of Object.entries(source)) target[key] = (target[key] ?? 0) + n;
}

/** Nearest-rank percentile (`p` in 0..1): the bucket holding the sample of rank ceil(p × n). */
export function percentile(h: Histogram, p: number): number | null {
  const buckets = Object.entries(h)
    .map(([k, n]) => [Number(k), n] as const)
    .filter(([, n]) => n > 0)
    .sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((s, [, n]) => s + n, 0);
  if (!total) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const [bucket, n] of buckets) {
    seen += n;
    if (seen >= rank) return bucketValue(bucket);
  }
  return null;
}

/** Exact nearest-rank percentile of raw samples (the reference the rollup is checked against). */
export function exactPercentile(samples: number[], p: number): number | null {
  if (!samples.length) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1] ?? null;
}

/** Whether a histogram percentile is within the documented bound of the exact one. */
export function withinBound(approx: number, exact: number): boolean {
  return Math.abs(approx - exact) <= Math.max(0.5, exact * 0.01) + 1e-9;
}
