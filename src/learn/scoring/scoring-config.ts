import { fail } from '../../util/index.js';
import type { PoolSpec } from '../../device/index.js';

/** Parses the run's scoring flags (tinypdm.json `scoring`: ScoringConfig in src/data/run-config.ts). */
import type { ScoringConfig } from '../../data/index.js';

/** `--score` values: mse, mahalanobis (diagonal), mahalanobis:K (rank K). */
export function parseWindowScore(s: string): { window: ScoringConfig['window']; rank: number } {
  const m = /^(mse|mahalanobis)(?::(\d+))?$/.exec(s.trim());
  if (!m || (m[1] === 'mse' && m[2] !== undefined)) {
    return fail(
      'BAD_ARGUMENT',
      `--score ${JSON.stringify(s)}: use mse, mahalanobis (diagonal) or mahalanobis:K (rank K, e.g. mahalanobis:8)`,
    );
  }
  const rank = m[2] === undefined ? 0 : Number(m[2]);
  rank <= 64 || fail('BAD_ARGUMENT', `--score ${s}: rank ${rank} is above 64; the device stores rank × window values`);
  return { window: m[1] as ScoringConfig['window'], rank };
}

/** `--pool` values: mean, max, median, pNN (NN-th percentile, e.g. p90) or pNN.N. */
export function parsePool(s: string): PoolSpec {
  const t = s.trim();
  if (t === 'mean' || t === 'max') return { method: t };
  if (t === 'median') return { method: 'percentile', permille: 500 };
  const m = /^p(\d{1,3}(?:\.\d)?)$/.exec(t);
  const permille = m ? Math.round(Number(m[1]) * 10) : NaN;
  if (!(permille >= 1 && permille <= 1000))
    return fail('BAD_ARGUMENT', `--pool ${JSON.stringify(s)}: use mean, max, median or a percentile p1..p100 (e.g. p90)`);
  return { method: 'percentile', permille };
}
