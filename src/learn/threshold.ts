import { fail } from '../util/index.js';

/**
 * The anomaly threshold a run ships with: the p-th percentile (nearest rank)
 * of the validation normals' window scores, so about (100 − p)% of normal
 * windows are flagged — a false-alarm budget chosen without seeing anomalies.
 */
export function percentileThreshold(scores: ArrayLike<number>, percentile = 99, what = 'window scores'): { value: number; method: string } {
  (percentile > 0 && percentile <= 100) || fail('BAD_ARGUMENT', `threshold percentile must be in (0, 100], got ${percentile}`);
  scores.length > 0 ||
    fail('BAD_DATASET', `no validation windows to set the anomaly threshold from; add normal clips (the split keeps 20% for validation)`);
  const sorted = Float64Array.from(scores).sort();
  const rank = Math.max(1, Math.ceil((percentile / 100) * sorted.length));
  return { value: sorted[rank - 1]!, method: `p${percentile} of ${sorted.length} validation-normal ${what} (nearest rank), float model` };
}
