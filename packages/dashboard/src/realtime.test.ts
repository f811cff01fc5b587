import { describe, expect, it } from 'vitest';
import { RESUME_BASE_MS, RESUME_CAP_MS, resumeDelay } from './realtime.js';

describe('resumeDelay (full jitter)', () => {
  it('waits between 0 and base·2^attempt, never more than the cap', () => {
    for (const attempt of [0, 1, 2, 3, 4, 5, 10, 40]) {
      const ceiling = Math.min(RESUME_CAP_MS, RESUME_BASE_MS * 2 ** attempt);
      expect(resumeDelay(attempt, () => 0)).toBe(0);
      expect(resumeDelay(attempt, () => 0.5)).toBe(Math.floor(ceiling / 2));
      expect(resumeDelay(attempt, () => 0.999999)).toBe(Math.floor(ceiling * 0.999999));
    }
    expect(resumeDelay(40, () => 0.999999)).toBeLessThan(RESUME_CAP_MS);
  });

  it('spreads tabs that a draining server disconnected together', () => {
    const delays = Array.from({ length: 1000 }, () => resumeDelay(0));
    const buckets = [0, 0, 0, 0];
    for (const d of delays) buckets[Math.floor((d / RESUME_BASE_MS) * 4)]! += 1;
    // Uniform over [0, base): each quarter holds roughly a quarter (far from all in one place).
    for (const count of buckets) expect(count).toBeGreaterThan(150);
    expect(Math.max(...delays)).toBeLessThan(RESUME_BASE_MS);
  });
});
