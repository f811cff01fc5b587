/**
 * L2-regularised logistic regression fitted by IRLS (Newton's method), with
 * k-fold cross-validated calibration. Pure functions over plain arrays.
 *
 * Why by hand: the one maintained npm package for it, `ml-logistic-regression`
 * (2.0.0, Dec 2024), fits by fixed-step gradient ascent with no penalty and no
 * convergence test, so on the few dozen outcomes a small business has (often
 * separable by one feature) its weights run off towards infinity and its
 * probabilities to 0 and 1. What we need is small: standardised features, an
 * L2 penalty on the weights (not the intercept), and Newton steps on a system
 * of at most ~16 unknowns, solved by Cholesky (positive definite thanks to the
 * penalty). It converges in well under 30 steps.
 */

export interface LogisticModel {
  /** Per feature: mean and standard deviation used to standardise it (sd 1 for a constant feature). */
  means: number[];
  sds: number[];
  /** Weights of the standardised features. */
  weights: number[];
  intercept: number;
  lambda: number;
  iterations: number;
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Solves A x = b for a symmetric positive definite A (Cholesky). */
export function solveSpd(a: number[][], b: number[]): number[] {
  const n = b.length;
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = (a[i] as number[])[j] as number;
      for (let k = 0; k < j; k++) sum -= (l[i] as number[])[k]! * (l[j] as number[])[k]!;
      if (i === j) {
        if (sum <= 0) throw new Error('matrix is not positive definite');
        (l[i] as number[])[i] = Math.sqrt(sum);
      } else (l[i] as number[])[j] = sum / (l[j] as number[])[j]!;
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let sum = b[i] as number;
    for (let k = 0; k < i; k++) sum -= (l[i] as number[])[k]! * y[k]!;
    y[i] = sum / (l[i] as number[])[i]!;
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i] as number;
    for (let k = i + 1; k < n; k++) sum -= (l[k] as number[])[i]! * x[k]!;
    x[i] = sum / (l[i] as number[])[i]!;
  }
  return x;
}

/**
 * Fits P(y = 1 | x) = σ(b + w·z), z the standardised x, minimising the log
 * loss summed over rows plus λ/2 ‖w‖².
 */
export function fitLogistic(x: number[][], y: number[], options: { lambda?: number; maxIterations?: number } = {}) {
  const lambda = options.lambda ?? 1;
  const maxIterations = options.maxIterations ?? 50;
  const n = x.length;
  const p = x[0]?.length ?? 0;
  const means = new Array<number>(p).fill(0);
  const sds = new Array<number>(p).fill(1);
  for (let j = 0; j < p; j++) {
    let m = 0;
    for (const row of x) m += row[j] as number;
    m /= n || 1;
    let v = 0;
    for (const row of x) v += ((row[j] as number) - m) ** 2;
    const sd = Math.sqrt(v / (n || 1));
    means[j] = m;
    sds[j] = sd > 1e-9 ? sd : 1;
  }
  // Column 0 is the intercept (unpenalised), then the standardised features.
  const z = x.map((row) => [1, ...row.map((v, j) => (v - (means[j] as number)) / (sds[j] as number))]);
  const beta = new Array<number>(p + 1).fill(0);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const grad = new Array<number>(p + 1).fill(0);
    const hess = Array.from({ length: p + 1 }, () => new Array<number>(p + 1).fill(0));
    for (let i = 0; i < n; i++) {
      const row = z[i] as number[];
      let eta = 0;
      for (let j = 0; j <= p; j++) eta += (row[j] as number) * (beta[j] as number);
      const mu = sigmoid(eta);
      const w = Math.max(mu * (1 - mu), 1e-10);
      const r = (y[i] as number) - mu;
      for (let j = 0; j <= p; j++) {
        grad[j]! += (row[j] as number) * r;
        const hj = hess[j] as number[];
        for (let k = 0; k <= j; k++) hj[k]! += w * (row[j] as number) * (row[k] as number);
      }
    }
    for (let j = 0; j <= p; j++) {
      for (let k = j + 1; k <= p; k++) (hess[j] as number[])[k] = (hess[k] as number[])[j] as number;
      if (j > 0) {
        grad[j]! -= lambda * (beta[j] as number);
        (hess[j] as number[])[j]! += lambda;
      }
    }
    // The intercept's diagonal is Σw > 0; a tiny ridge keeps the solve safe when all w vanish.
    (hess[0] as number[])[0]! += 1e-9;
    const step = solveSpd(hess, grad);
    let largest = 0;
    for (let j = 0; j <= p; j++) {
      beta[j]! += step[j] as number;
      largest = Math.max(largest, Math.abs(step[j] as number));
    }
    if (largest < 1e-8) {
      iterations++;
      break;
    }
  }
  const model: LogisticModel = {
    means,
    sds,
    weights: beta.slice(1),
    intercept: beta[0] as number,
    lambda,
    iterations,
  };
  return model;
}

export function predict(model: LogisticModel, row: number[]): number {
  let eta = model.intercept;
  for (let j = 0; j < model.weights.length; j++) {
    eta +=
      (model.weights[j] as number) * (((row[j] as number) - (model.means[j] as number)) / (model.sds[j] as number));
  }
  return sigmoid(eta);
}

/** The chance a random positive is scored above a random negative (ties count half); null without both. */
export function auc(scores: number[], labels: number[]): number | null {
  const pos = scores.filter((_, i) => labels[i] === 1);
  const neg = scores.filter((_, i) => labels[i] !== 1);
  if (!pos.length || !neg.length) return null;
  let wins = 0;
  for (const a of pos) for (const b of neg) wins += a > b ? 1 : a === b ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}

export interface Calibration {
  folds: number;
  brier: number;
  baselineBrier: number;
  auc: number | null;
  bins: Array<{ from: number; to: number; count: number; meanPredicted: number | null; observedRate: number | null }>;
}

/**
 * k-fold cross-validation: each row is predicted by a model fitted without its
 * fold (rows are dealt to folds in the order given, i mod k, so the caller
 * decides the order and the result is reproducible). Reports the Brier score
 * against the baseline of predicting the other folds' positive rate, the AUC,
 * and five reliability bins of predicted probability (0–0.2, …, 0.8–1).
 */
export function crossValidate(x: number[][], y: number[], options: { folds?: number; lambda?: number } = {}) {
  const k = Math.max(2, Math.min(options.folds ?? 5, x.length));
  const predicted = new Array<number>(x.length).fill(0);
  const baseline = new Array<number>(x.length).fill(0);
  for (let f = 0; f < k; f++) {
    const trainX: number[][] = [];
    const trainY: number[] = [];
    for (let i = 0; i < x.length; i++) {
      if (i % k === f) continue;
      trainX.push(x[i] as number[]);
      trainY.push(y[i] as number);
    }
    const model = fitLogistic(trainX, trainY, { lambda: options.lambda });
    const rate = trainY.reduce((s, v) => s + v, 0) / (trainY.length || 1);
    for (let i = f; i < x.length; i += k) {
      predicted[i] = predict(model, x[i] as number[]);
      baseline[i] = rate;
    }
  }
  const brierOf = (p: number[]) => p.reduce((s, v, i) => s + (v - (y[i] as number)) ** 2, 0) / (p.length || 1);
  const bins: Calibration['bins'] = [];
  for (let b = 0; b < 5; b++) {
    const from = b / 5;
    const to = (b + 1) / 5;
    const members = predicted
      .map((p, i) => [p, y[i] as number] as const)
      .filter(([p]) => p >= from && (b === 4 ? p <= to : p < to));
    bins.push({
      from,
      to,
      count: members.length,
      meanPredicted: members.length ? round4(members.reduce((s, [p]) => s + p, 0) / members.length) : null,
      observedRate: members.length ? round4(members.reduce((s, [, v]) => s + v, 0) / members.length) : null,
    });
  }
  const area = auc(predicted, y);
  const calibration: Calibration = {
    folds: k,
    brier: round4(brierOf(predicted)),
    baselineBrier: round4(brierOf(baseline)),
    auc: area === null ? null : round4(area),
    bins,
  };
  return { calibration, predicted };
}

export const round4 = (v: number) => Math.round(v * 10_000) / 10_000;
