import { fail } from '../../errors.js';
import type { PoolSpec } from '../../device/clip-score.js';

/**
 * How a run turns reconstructions into a clip score, written to tinypdm.json
 * (`scoring`) by train and read by eval and `emit --board`, so the device
 * computes the score eval reports:
 *  - window: 'mse' (the paper: mean squared reconstruction error,
 *    firmware/core/anomaly_score.c) or 'mahalanobis' (the DCASE 2023
 *    baseline's Mahalanobis distance of the reconstruction error, diagonal
 *    for rank 0 or low-rank PPCA, firmware/core/window_score.c);
 *  - pool: how a clip's window scores become its score (mean, max or a
 *    percentile; firmware/core/clip_score.c), over `windowsPerClip` windows
 *    on the device.
 * A run without `scoring` is scored as before: window MSE, clip mean in eval,
 * per-window threshold on the device.
 */
export interface ScoringConfig {
  window: 'mse' | 'mahalanobis';
  /** Error-model rank for 'mahalanobis' (0 = diagonal). */
  rank: number;
  pool: PoolSpec;
  /** Windows a device pools into one clip score (the training clips' window count). */
  windowsPerClip: number;
  /** The error-model file in the run folder ('mahalanobis' only). */
  errorModel?: string;
}

export const WINDOW_SCORES = ['mse', 'mahalanobis'] as const;

/** `--score` values: mse, mahalanobis (diagonal), mahalanobis:K (rank K). */
export function parseWindowScore(s: string): { window: ScoringConfig['window']; rank: number } {
  const m = /^(mse|mahalanobis)(?::(\d+))?$/.exec(s.trim());
  if (!m || (m[1] === 'mse' && m[2] !== undefined)) {
    return fail('BAD_ARGUMENT', `--score ${JSON.stringify(s)}: use mse, mahalanobis (diagonal) or mahalanobis:K (rank K, e.g. mahalanobis:8)`);
  }
  const rank = m[2] === undefined ? 0 : Number(m[2]);
  (rank <= 64) || fail('BAD_ARGUMENT', `--score ${s}: rank ${rank} is above 64; the device stores rank × window values`);
  return { window: m[1] as ScoringConfig['window'], rank };
}

/** `--pool` values: mean, max, median, pNN (NN-th percentile, e.g. p90) or pNN.N. */
export function parsePool(s: string): PoolSpec {
  const t = s.trim();
  if (t === 'mean' || t === 'max') return { method: t };
  if (t === 'median') return { method: 'percentile', permille: 500 };
  const m = /^p(\d{1,3}(?:\.\d)?)$/.exec(t);
  const permille = m ? Math.round(Number(m[1]) * 10) : NaN;
  if (!(permille >= 1 && permille <= 1000)) return fail('BAD_ARGUMENT', `--pool ${JSON.stringify(s)}: use mean, max, median or a percentile p1..p100 (e.g. p90)`);
  return { method: 'percentile', permille };
}

export function describePool(p: PoolSpec): string {
  return p.method === 'percentile' ? `${(p.permille ?? 1000) / 10}th percentile` : p.method;
}

export function describeScoring(s: Pick<ScoringConfig, 'window' | 'rank' | 'pool'>): string {
  const w = s.window === 'mse' ? 'window MSE between the input and its reconstruction' : `window Mahalanobis distance of the reconstruction error (${s.rank === 0 ? 'diagonal' : `rank ${s.rank}`})`;
  return `clip ${describePool(s.pool)} of the ${w}, normalised units`;
}
