import { describe, expect, it } from 'vitest';
import { backoffDelay } from './wire.js';

describe('backoffDelay (full jitter, bounded)', () => {
  it('draws below base·2^attempt, capped at max', () => {
    const cases: Array<[number, number]> = [
      [0, 500],
      [1, 1000],
      [2, 2000],
      [3, 4000],
      [4, 8000],
      [5, 8000],
      [60, 8000],
      [2000, 8000],
    ];
    for (const [attempt, ceiling] of cases) {
      expect(backoffDelay(attempt, 500, 8000, () => 0)).toBe(0);
      expect(backoffDelay(attempt, 500, 8000, () => 0.5)).toBe(ceiling / 2);
      expect(backoffDelay(attempt, 500, 8000, () => 0.9999)).toBe(Math.floor(ceiling * 0.9999));
    }
  });

  it('spreads widgets dropped together over the whole window, never past the cap', () => {
    for (const attempt of [0, 3, 10]) {
      const ceiling = Math.min(8000, 500 * 2 ** attempt);
      const delays = Array.from({ length: 2000 }, () => backoffDelay(attempt, 500, 8000));
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...delays)).toBeLessThan(ceiling);
      // Full jitter, not ±50% around the step: every tenth of [0, ceiling) is used.
      const tenths = new Set(delays.map((d) => Math.floor((d / ceiling) * 10)));
      expect(tenths.size).toBe(10);
      expect(delays.filter((d) => d < ceiling / 4).length).toBeGreaterThan(300);
    }
  });
});
