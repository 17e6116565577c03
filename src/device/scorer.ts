import { deviceAnomalyScore, type DeviceQuant } from './anomaly-score.js';
import { createClipPool, type PoolSpec } from './clip-score.js';
import { deviceWindowScore, type WindowScoreParams } from './window-score.js';

/**
 * TypeScript twin of firmware/core/scorer.c (tp_run_score): the window score
 * (MSE, or the Mahalanobis-style score when `params` is given), then the clip
 * pool over the last `capacity` windows when `pool` is given. Stateful like
 * the device's pool; bit-identical to it.
 */
export type DeviceScorer = (input: Int8Array, inputQ: DeviceQuant, output: Int8Array, outputQ: DeviceQuant) => number;

export function createRunScorer(o: { params?: WindowScoreParams; pool?: { spec: PoolSpec; capacity: number } } = {}): DeviceScorer {
  const pool = o.pool ? createClipPool(o.pool.spec, o.pool.capacity) : undefined;
  return (input, inputQ, output, outputQ) => {
    const score = o.params
      ? deviceWindowScore(o.params, input, inputQ, output, outputQ)
      : deviceAnomalyScore(input, inputQ, output, outputQ);
    return pool ? pool.push(score) : score;
  };
}
