import { describe, expect, it } from 'vitest';
import { wilsonInterval } from './wilson.js';

describe('wilsonInterval', () => {
  it('matches the published 95 % Wilson intervals', () => {
    // 8 of 20: 0.4 in [0.2188, 0.6134]; 0 of 10: the upper bound 0.2775 (the "rule of three" would say 0.3).
    expect(wilsonInterval(8, 20)).toEqual({ rate: 0.4, low: 0.2188, high: 0.6134 });
    expect(wilsonInterval(0, 10)).toEqual({ rate: 0, low: 0, high: 0.2775 });
    expect(wilsonInterval(10, 10)).toEqual({ rate: 1, low: 0.7225, high: 1 });
  });

  it('has no interval without trials', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
  });
});
