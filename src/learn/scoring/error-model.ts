import { fail } from '../../util/index.js';
import type { ErrorModel } from '../../device/index.js';
import { createRng } from '../../util/index.js';
import { extremeEigen } from './eigen.js';

export interface FitErrorModelOptions {
  rank: number;
  seed: number;
  /** Fit on at most this many windows (a seeded sample); the covariance costs count²/2 per window. */
  maxWindows?: number;
}

/** Variances below this fraction of the mean variance are raised to it, so a near-constant element cannot dominate. */
const VARIANCE_FLOOR = 1e-2;
const DEFAULT_MAX_WINDOWS = 8192;

/** Fits the error model to `errors`, `n` windows of `d` values each (row-major). */
export function fitErrorModel(errors: Float32Array, n: number, d: number, o: FitErrorModelOptions): ErrorModel {
  (n >= 2 && errors.length === n * d) || fail('BAD_DATASET', `error model: need at least 2 training windows of ${d} values, got ${n}`);
  (Number.isInteger(o.rank) && o.rank >= 0 && o.rank < d) ||
    fail('BAD_ARGUMENT', `error model rank ${o.rank} must be an integer in 0..${d - 1}`);
  const rows = sampleRows(n, o.maxWindows ?? DEFAULT_MAX_WINDOWS, o.seed);
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  for (const r of rows) {
    const at = r * d;
    for (let i = 0; i < d; i++) {
      const e = errors[at + i]!;
      mean[i]! += e;
      sq[i]! += e * e;
    }
  }
  const m = rows.length;
  let meanVar = 0;
  const variance = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    mean[i]! /= m;
    variance[i] = Math.max(0, sq[i]! / m - mean[i]! ** 2);
    meanVar += variance[i]! / d;
  }
  meanVar > 0 ||
    fail('BAD_DATASET', 'error model: the reconstruction error is identical on every training window; the model or the data is degenerate');
  const invStd = Array.from(variance, (v) => 1 / Math.sqrt(Math.max(v, VARIANCE_FLOOR * meanVar)));
  const base = { count: d, windows: m, mean: Array.from(mean, Math.fround), invStd: invStd.map(Math.fround) };
  if (o.rank === 0) return { ...base, rank: 0, basis: [], eigenvalues: [], coef: [], invResid: 1 };

  // Covariance of the standardised errors (upper triangle, then mirrored).
  const cov = new Float64Array(d * d);
  const z = new Float64Array(d);
  for (const r of rows) {
    const at = r * d;
    for (let i = 0; i < d; i++) z[i] = (errors[at + i]! - mean[i]!) * invStd[i]!;
    for (let i = 0; i < d; i++) {
      const zi = z[i]!;
      if (zi === 0) continue;
      const row = i * d;
      for (let j = i; j < d; j++) cov[row + j]! += zi * z[j]!;
    }
  }
  let trace = 0;
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      cov[i * d + j]! /= m;
      cov[j * d + i] = cov[i * d + j]!;
    }
    trace += cov[i * d + i]!;
  }
  const { values, vectors } = extremeEigen(cov, d, o.rank, o.seed);
  const picked = pickDirections(values, trace, d, o.rank);
  const resid = residualVariance(values, picked, trace, d);
  const basis = picked.map((k) => Array.from(vectors.subarray(k * d, (k + 1) * d), Math.fround));
  const eigenvalues = picked.map((k) => values[k]!);
  const coef = eigenvalues.map((l) => Math.fround(1 / Math.max(l, 1e-6 * resid) - 1 / resid));
  return { ...base, rank: o.rank, basis, eigenvalues, coef, invResid: Math.fround(1 / resid) };
}

/**
 * The `rank` Ritz directions whose variance departs most from the residual
 * variance σ² (|log λ/σ²|), from the top of the spectrum (where normal errors
 * spread, weighted down) and from the bottom (where they hardly move, so an
 * error there is suspicious, weighted up). This is where the full Mahalanobis
 * distance differs most from a scaled squared norm, so a rank-k correction
 * keeps the most of it. σ² is re-estimated from the directions left.
 */
function pickDirections(values: number[], trace: number, d: number, rank: number): number[] {
  let picked = values.map((_, i) => i).slice(0, rank);
  for (let round = 0; round < 4; round++) {
    const resid = residualVariance(values, picked, trace, d);
    const next = values
      .map((l, i) => [Math.abs(Math.log(Math.max(l, 1e-9 * resid) / resid)), i] as const)
      .sort((a, b) => b[0] - a[0] || a[1] - b[1])
      .slice(0, rank)
      .map(([, i]) => i)
      .sort((a, b) => a - b);
    if (next.join() === picked.join()) break;
    picked = next;
  }
  return picked;
}

function residualVariance(values: number[], picked: number[], trace: number, d: number): number {
  const kept = picked.reduce((s, k) => s + values[k]!, 0);
  return Math.max((trace - kept) / (d - picked.length), (1e-6 * trace) / d);
}

function sampleRows(n: number, max: number, seed: number): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  return n <= max
    ? all
    : createRng(seed)
        .derive('error-model')
        .shuffled(all)
        .slice(0, max)
        .sort((a, b) => a - b);
}
