import { describe, expect, it } from 'vitest';
import { floatWindowScore } from '../../src/device/window-score.js';
import { scoreParams } from '../../src/device/index.js';
import { fitErrorModel, MSE_SCORER, parsePool, parseWindowScore, topEigen } from '../../src/learn/scoring/index.js';
import { createRng } from '../../src/util/random.js';

function auc(neg: number[], pos: number[]): number {
  let s = 0;
  for (const p of pos) for (const n of neg) s += p > n ? 1 : p === n ? 0.5 : 0;
  return s / (pos.length * neg.length);
}

describe('topEigen', () => {
  it('recovers planted eigenpairs of a symmetric matrix', () => {
    const d = 40;
    const rng = createRng(3);
    // C = Σ λ_k u_k u_kᵀ + 0.1·I with orthonormal u_k (Gram–Schmidt of random vectors).
    const lambdas = [9, 5, 2];
    const us: number[][] = [];
    for (const _ of lambdas) {
      const v = Array.from({ length: d }, () => rng.normal());
      for (const u of us) {
        const dot = v.reduce((s, x, i) => s + x * u[i]!, 0);
        for (let i = 0; i < d; i++) v[i]! -= dot * u[i]!;
      }
      const n = Math.hypot(...v);
      us.push(v.map((x) => x / n));
    }
    const c = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      c[i * d + i] = 0.1;
      for (let j = 0; j < d; j++) lambdas.forEach((l, k) => (c[i * d + j]! += l * us[k]![i]! * us[k]![j]!));
    }
    const e = topEigen(c, d, 3, 1);
    expect(e.values.map((v) => +v.toFixed(6))).toEqual([9.1, 5.1, 2.1]);
    us.forEach((u, k) => {
      const dot = u.reduce((s, x, i) => s + x * e.vectors[k * d + i]!, 0);
      expect(Math.abs(dot)).toBeCloseTo(1, 6);
    });
  });
});

describe('Mahalanobis-style window score (fitted error model)', () => {
  const d = 16;
  /** Normal errors: element 0 varies a lot (σ 0.3), the rest little (σ 0.01); elements 2 and 3 move together. */
  function normalError(rng: ReturnType<typeof createRng>): Float32Array {
    const e = new Float32Array(d);
    for (let i = 0; i < d; i++) e[i] = 0.01 * rng.normal();
    e[0] = 0.3 * rng.normal();
    const shared = 0.05 * rng.normal();
    e[2] = shared + 0.002 * rng.normal();
    e[3] = shared + 0.002 * rng.normal();
    return e;
  }
  const rng = createRng(7);
  const n = 2000;
  const train = new Float32Array(n * d);
  for (let i = 0; i < n; i++) train.set(normalError(rng), i * d);
  const zeros = new Float32Array(d);
  const scores = (params: ReturnType<typeof scoreParams> | 'mse', errs: Float32Array[]) =>
    errs.map((e) => (params === 'mse' ? MSE_SCORER.float(e, zeros) : floatWindowScore(params, e, zeros)));
  const test = Array.from({ length: 200 }, () => normalError(rng));

  it('diagonal form finds a shift in a quiet element that the MSE misses', () => {
    const shifted = test.map((e) => {
      const a = e.slice();
      a[5] = a[5]! + 0.06; // 6σ of element 5, small next to element 0's spread
      return a;
    });
    const diag = scoreParams(fitErrorModel(train, n, d, { rank: 0, seed: 1 }));
    expect(auc(scores(diag, test), scores(diag, shifted))).toBeGreaterThan(0.99);
    expect(auc(scores('mse', test), scores('mse', shifted))).toBeLessThan(0.75);
  });

  it('low-rank form finds broken correlation that the diagonal form misses', () => {
    const broken = test.map((e) => {
      const a = e.slice();
      a[3] = -a[2]!; // same spread per element, opposite sign: off the normal errors' subspace
      return a;
    });
    const diag = scoreParams(fitErrorModel(train, n, d, { rank: 0, seed: 1 }));
    const low = fitErrorModel(train, n, d, { rank: 2, seed: 1 });
    expect(low.basis.length).toBe(2);
    expect(auc(scores(scoreParams(low), test), scores(scoreParams(low), broken))).toBeGreaterThan(0.95);
    expect(auc(scores(diag, test), scores(diag, broken))).toBeLessThan(0.7);
  });

  it('is seeded: the same errors and seed give the same model', () => {
    const a = fitErrorModel(train, n, d, { rank: 2, seed: 4, maxWindows: 500 });
    const b = fitErrorModel(train, n, d, { rank: 2, seed: 4, maxWindows: 500 });
    expect(a).toEqual(b);
    expect(a.windows).toBe(500);
  });
});

describe('--score and --pool values', () => {
  it('parse and refuse', () => {
    expect(parseWindowScore('mse')).toEqual({ window: 'mse', rank: 0 });
    expect(parseWindowScore('mahalanobis:8')).toEqual({ window: 'mahalanobis', rank: 8 });
    expect(parsePool('p90')).toEqual({ method: 'percentile', permille: 900 });
    expect(parsePool('median')).toEqual({ method: 'percentile', permille: 500 });
    expect(parsePool('max')).toEqual({ method: 'max' });
    expect(() => parseWindowScore('mse:3')).toThrow(/--score/);
    expect(() => parsePool('p0')).toThrow(/--pool/);
    expect(() => parsePool('top')).toThrow(/--pool/);
  });
});
