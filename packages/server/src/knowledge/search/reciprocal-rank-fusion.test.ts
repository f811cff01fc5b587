import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion } from './reciprocal-rank-fusion.js';

describe('reciprocalRankFusion', () => {
  it('ranks an item found by both lists above items found by one', () => {
    const fused = reciprocalRankFusion([
      ['a', 'b', 'c'],
      ['d', 'c', 'e'],
    ]);
    const order = [...fused.entries()].sort((x, y) => y[1] - x[1]).map(([id]) => id);
    expect(order[0]).toBe('c');
    expect(fused.get('c')).toBeCloseTo(1 / 63 + 1 / 62, 10);
    expect(fused.get('a')).toBeCloseTo(1 / 61, 10);
  });

  it('gives the first item of a single list 1/(k+1)', () => {
    expect(reciprocalRankFusion([['x']], 10).get('x')).toBeCloseTo(1 / 11, 10);
  });
});
