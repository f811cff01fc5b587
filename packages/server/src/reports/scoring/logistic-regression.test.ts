import { describe, expect, it } from 'vitest';
import { auc, crossValidate, fitLogistic, predict, solveSpd } from './logistic-regression.js';

describe('logistic regression (IRLS with L2)', () => {
  it('solves a positive definite system', () => {
    // [[4, 2], [2, 3]] x = [2, 1]  →  x = [0.5, 0]
    const x = solveSpd(
      [
        [4, 2],
        [2, 3],
      ],
      [2, 1],
    );
    expect(x[0]).toBeCloseTo(0.5, 12);
    expect(x[1]).toBeCloseTo(0, 12);
  });

  it('finds the base rate when the feature tells nothing: intercept logit(0.25), weight 0', () => {
    const x = [[0], [0], [0], [0], [1], [1], [1], [1]];
    const y = [1, 0, 0, 0, 1, 0, 0, 0];
    const m = fitLogistic(x, y, { lambda: 1 });
    expect(m.intercept).toBeCloseTo(Math.log(0.25 / 0.75), 8);
    expect(m.weights[0]).toBeCloseTo(0, 8);
    expect(predict(m, [0])).toBeCloseTo(0.25, 8);
    expect(m.iterations).toBeLessThan(30);
  });

  it('keeps weights finite on separable data and orders the probabilities', () => {
    const x = [[0], [1], [2], [3], [4], [5]];
    const y = [0, 0, 0, 1, 1, 1];
    const m = fitLogistic(x, y, { lambda: 1 });
    expect(Number.isFinite(m.weights[0])).toBe(true);
    expect(m.weights[0]).toBeGreaterThan(0);
    const p = x.map((r) => predict(m, r));
    for (let i = 1; i < p.length; i++) expect(p[i]).toBeGreaterThan(p[i - 1] as number);
    // Symmetric data: the middle (x = 2.5) is an even chance.
    expect(predict(m, [2.5])).toBeCloseTo(0.5, 8);
  });

  it('computes the AUC with ties counting half', () => {
    expect(auc([0.9, 0.8, 0.3, 0.1], [1, 1, 0, 0])).toBe(1);
    expect(auc([0.5, 0.5], [1, 0])).toBe(0.5);
    // Positives 0.8, 0.4; negatives 0.6, 0.2: 3 of 4 pairs ordered.
    expect(auc([0.8, 0.4, 0.6, 0.2], [1, 1, 0, 0])).toBe(0.75);
    expect(auc([0.3], [1])).toBeNull();
  });

  it('cross-validates: every row predicted once, bins adding up, a real signal beating the baseline', () => {
    const x: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 50; i++) {
      const fast = i % 2 === 0;
      x.push([fast ? 0.2 : 5]);
      // A few exceptions each way, spread over the folds (7 and 5 share no factor).
      y.push(fast ? (i % 7 === 0 ? 0 : 1) : i % 7 === 1 ? 1 : 0);
    }
    const { calibration, predicted } = crossValidate(x, y, { folds: 5, lambda: 1 });
    expect(predicted).toHaveLength(50);
    expect(calibration.bins.reduce((s, b) => s + b.count, 0)).toBe(50);
    expect(calibration.auc as number).toBeGreaterThan(0.7);
    expect(calibration.brier).toBeLessThan(calibration.baselineBrier);
  });
});
