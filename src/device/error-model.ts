import { fail } from '../util/index.js';
import type { WindowScoreParams } from './window-score.js';

/**
 * The statistics of a run's reconstruction error that the Mahalanobis-style
 * window score reads (window-score.ts, firmware/core/window_score.c), as the
 * run folder stores them (error-model.json, written by train, fitted by
 * src/learn/scoring/error-model.ts) and `emit --board` turns them into
 * constant tables. Values are float32 (what the device holds).
 */

export interface ErrorModel {
  count: number;
  rank: number;
  /** Windows the statistics were fitted on. */
  windows: number;
  mean: number[];
  invStd: number[];
  /** rank rows of count values. */
  basis: number[][];
  eigenvalues: number[];
  coef: number[];
  invResid: number;
}

/** The device's score parameters (float32 tables) for an error model. */
export function scoreParams(m: ErrorModel): WindowScoreParams {
  const basis = new Float32Array(m.rank * m.count);
  m.basis.forEach((row, k) => basis.set(row, k * m.count));
  return {
    count: m.count,
    rank: m.rank,
    mean: Float32Array.from(m.mean),
    invStd: Float32Array.from(m.invStd),
    basis,
    coef: Float32Array.from(m.coef),
    invResid: Math.fround(m.invResid),
  };
}

/** Checks a parsed error-model file (untrusted) before its numbers are used. */
export function checkErrorModel(m: unknown, file: string, count: number): ErrorModel {
  const e = m as Partial<ErrorModel> | null;
  const finite = (a: unknown, n: number) =>
    Array.isArray(a) && a.length === n && a.every((v) => typeof v === 'number' && Number.isFinite(v));
  const rank = e?.rank;
  const ok =
    !!e &&
    e.count === count &&
    Number.isInteger(rank) &&
    rank! >= 0 &&
    rank! < count &&
    finite(e.mean, count) &&
    finite(e.invStd, count) &&
    finite(e.coef, rank!) &&
    Array.isArray(e.basis) &&
    e.basis.length === rank &&
    e.basis.every((row) => finite(row, count)) &&
    typeof e.invResid === 'number' &&
    Number.isFinite(e.invResid);
  ok ||
    fail(
      'RUN_MISMATCH',
      `${file}: not an error model for ${count}-value windows (count, rank, mean, invStd, basis, coef, invResid); re-run tinypdm train with --score mahalanobis`,
    );
  return e as ErrorModel;
}
