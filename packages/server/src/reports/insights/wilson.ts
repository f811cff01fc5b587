import type { WilsonInterval } from '@leaddesk/shared';

/** The normal quantile for a two-sided 95 % interval. */
const Z95 = 1.959963984540054;

/**
 * The Wilson score interval for `successes` of `trials` (Wilson, 1927): unlike
 * the textbook p ± z·√(p(1−p)/n), it stays within 0..1 and is honest for
 * small samples and rates near 0 or 1, which an A/B test of a few dozen
 * conversations has. Null without trials. Rounded to 4 decimals.
 *
 *   centre = (p + z²/2n) / (1 + z²/n)
 *   half   = z·√(p(1−p)/n + z²/4n²) / (1 + z²/n)
 */
export function wilsonInterval(successes: number, trials: number, z = Z95): WilsonInterval | null {
  if (trials <= 0) return null;
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  const round = (x: number) => Math.round(x * 10_000) / 10_000;
  return { rate: round(p), low: round(Math.max(0, centre - half)), high: round(Math.min(1, centre + half)) };
}
