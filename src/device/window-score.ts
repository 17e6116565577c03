import type { DeviceQuant } from './anomaly-score.js';

/**
 * TypeScript twin of firmware/core/window_score.c: a Mahalanobis-style score
 * of the reconstruction error e = x − y of one window,
 *
 *   d_i = (e_i − mean_i) · invStd_i
 *   score = (invResid · Σ d_i² + Σ_k coef_k · (basis_k · d)²) / count
 *
 * rank 0 is the diagonal form; rank k a rank-k correction towards the full
 * precision of the standardised errors (src/learn/scoring/error-model.ts fits it). Every
 * step is rounded to float32 in the C's order, so the scores are bit-identical
 * to what the Cortex-M4F computes.
 */
export interface WindowScoreParams {
  count: number;
  rank: number;
  /** float32 values (Float32Array so the constants are exactly what the C holds). */
  mean: Float32Array;
  invStd: Float32Array;
  /** rank × count, row-major. */
  basis: Float32Array;
  coef: Float32Array;
  invResid: number;
}

const f32 = Math.fround;

/** The int8 window as the device scores it: dequantised in float32, then the error score. */
export function deviceWindowScore(
  p: WindowScoreParams,
  input: Int8Array,
  inputQ: DeviceQuant,
  output: Int8Array,
  outputQ: DeviceQuant,
): number {
  const n = p.count;
  if (n === 0) return 0;
  const si = f32(inputQ.scale);
  const so = f32(outputQ.scale);
  const work = new Float32Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = f32(si * (input[i]! - inputQ.zeroPoint));
    const y = f32(so * (output[i]! - outputQ.zeroPoint));
    sum = accumulate(p, i, f32(x - y), work, sum);
  }
  return finish(p, work, sum);
}

/** The same score of a float model's reconstruction (x and y already in normalised units, rounded to float32 first). */
export function floatWindowScore(p: WindowScoreParams, x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = p.count;
  if (n === 0) return 0;
  const work = new Float32Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum = accumulate(p, i, f32(f32(x[i]!) - f32(y[i]!)), work, sum);
  return finish(p, work, sum);
}

function accumulate(p: WindowScoreParams, i: number, e: number, work: Float32Array, sum: number): number {
  const d = f32(f32(e - p.mean[i]!) * p.invStd[i]!);
  work[i] = d;
  return f32(sum + f32(d * d));
}

function finish(p: WindowScoreParams, work: Float32Array, sum: number): number {
  const n = p.count;
  let total = f32(f32(p.invResid) * sum);
  for (let k = 0; k < p.rank; k++) {
    let dot = 0;
    const row = k * n;
    for (let i = 0; i < n; i++) dot = f32(dot + f32(p.basis[row + i]! * work[i]!));
    total = f32(total + f32(p.coef[k]! * f32(dot * dot)));
  }
  return f32(total / n);
}
