import { describe, expect, it } from 'vitest';
import {
  addSample,
  bucketOf,
  exactPercentile,
  type Histogram,
  mergeInto,
  percentile,
  withinBound,
} from './histogram.js';

describe('response-time histogram', () => {
  it('keeps every percentile within 2 % (0.02 s below 1 s) across merged days', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const samples: number[] = [];
    const merged: Histogram = {};
    for (let day = 0; day < 5; day++) {
      const h: Histogram = {};
      for (let i = 0; i < 400; i++) {
        // Log-uniform from 0.1 s to about 11 days: both regimes.
        const s = 0.1 * 10 ** (random() * 7);
        samples.push(s);
        addSample(h, s);
      }
      mergeInto(merged, h);
    }
    for (const p of [0.01, 0.25, 0.5, 0.9, 0.99, 1]) {
      const exact = exactPercentile(samples, p) as number;
      const approx = percentile(merged, p) as number;
      expect(withinBound(approx, exact), `p${p * 100}: ${approx} vs ${exact}`).toBe(true);
    }
  });

  it('uses the nearest rank and answers null without samples', () => {
    const h: Histogram = {};
    for (const s of [7, 7, 8, 30, 600]) addSample(h, s);
    // Sorted 7, 7, 8, 30, 600: p50 is rank 3 (8 s), p90 rank 5 (600 s).
    expect(withinBound(percentile(h, 0.5) as number, 8)).toBe(true);
    expect(withinBound(percentile(h, 0.5) as number, 7)).toBe(false);
    expect(withinBound(percentile(h, 0.9) as number, 600)).toBe(true);
    expect(percentile({}, 0.5)).toBeNull();
    expect([bucketOf(0), bucketOf(0.999), bucketOf(1)]).toEqual([0, 24, 25]);
  });
});
