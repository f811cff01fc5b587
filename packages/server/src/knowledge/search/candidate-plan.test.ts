import { describe, expect, it } from 'vitest';
import { planCandidates, tsqueryOperand } from './candidate-plan.js';

describe('planCandidates', () => {
  it('ranks every match when the words’ chunks fit in the budget', () => {
    const plan = planCandidates(
      [
        { lexeme: 'whiten', chunks: 3 },
        { lexeme: 'price', chunks: 40 },
        { lexeme: 'much', chunks: 0 },
      ],
      200,
    );
    expect(plan).toEqual({ rankQuery: "'whiten' | 'price'", steps: ["'whiten' | 'price'"], exhaustive: true });
  });

  it('takes the rare words first, then the common words together, then any common word', () => {
    const plan = planCandidates(
      [
        { lexeme: 'price', chunks: 201 },
        { lexeme: 'cost', chunks: 201 },
        { lexeme: 'whiten', chunks: 120 },
        { lexeme: 'teeth', chunks: 60 },
        { lexeme: 'kid', chunks: 90 },
      ],
      200,
    );
    // teeth (60) + kid (90) fit in 200; whitening (120) would not.
    expect(plan?.steps).toEqual([
      "'teeth' | 'kid'",
      "('whiten' & 'cost' & 'price') & !('teeth' | 'kid')",
      "('whiten' | 'cost' | 'price') & !('teeth' | 'kid') & !('whiten' & 'cost' & 'price')",
    ]);
    expect(plan?.rankQuery).toBe("'teeth' | 'kid' | 'whiten' | 'cost' | 'price'");
    expect(plan?.exhaustive).toBe(false);
  });

  it('falls back to the common word alone when the question has nothing rarer', () => {
    expect(planCandidates([{ lexeme: 'price', chunks: 5000 }], 200)?.steps).toEqual(["('price')"]);
  });

  it('plans nothing when no word occurs in the tenant’s chunks', () => {
    expect(planCandidates([{ lexeme: 'gym', chunks: 0 }], 200)).toBeNull();
    expect(planCandidates([], 200)).toBeNull();
  });
});

describe('tsqueryOperand', () => {
  it('quotes a lexeme so that quotes, backslashes and operators stay part of it', () => {
    expect(tsqueryOperand("o'clock")).toBe("'o''clock'");
    expect(tsqueryOperand('a\\b')).toBe("'a\\\\b'");
    expect(tsqueryOperand('x & !y')).toBe("'x & !y'");
  });
});
