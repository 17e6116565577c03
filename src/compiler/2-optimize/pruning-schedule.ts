/**
 * Gradual magnitude pruning's sparsity schedule: the TF Model Optimization
 * Toolkit's `PolynomialDecay` (Zhu & Gupta 2017, "To prune, or not to
 * prune"). Sparsity rises from `initialSparsity` at `beginStep` to
 * `finalSparsity` at `endStep` as
 *
 *   s(t) = final + (initial − final) · (1 − (t − begin) / (end − begin))^power
 *
 * with power 3: it prunes fast while many redundant weights remain and slowly
 * near the end, when every weight removed costs accuracy. The mask is
 * recomputed by magnitude only every `frequency` steps (and at `endStep`), so
 * the network has steps to recover between mask changes; after `endStep` the
 * final mask is held.
 */
export interface PolynomialDecay {
  initialSparsity: number;
  finalSparsity: number;
  beginStep: number;
  endStep: number;
  power: number;
  frequency: number;
}

/** The target sparsity at step t (1-based optimiser steps; clamped outside [begin, end]). */
export function sparsityAt(s: PolynomialDecay, step: number): number {
  if (step <= s.beginStep) return s.initialSparsity;
  if (step >= s.endStep) return s.finalSparsity;
  const progress = (step - s.beginStep) / (s.endStep - s.beginStep);
  return s.finalSparsity + (s.initialSparsity - s.finalSparsity) * (1 - progress) ** s.power;
}

/** True when the mask is recomputed after step t: every `frequency` steps within (begin, end], and at end. */
export function updatesMaskAt(s: PolynomialDecay, step: number): boolean {
  if (step <= s.beginStep || step > s.endStep) return false;
  return step === s.endStep || (step - s.beginStep) % s.frequency === 0;
}

/**
 * The schedule fine-tuning uses for `epochs` epochs of `batchesPerEpoch`
 * steps: from 0 to the final sparsity over the first half of the epochs
 * (rounded up), the mask updated about 10 times per ramp (TFMOT's default is
 * every 100 steps, more than our whole ramp), then held for the rest, so the
 * network retrains with the final mask before the best weights are picked.
 */
export function fineTuneSchedule(finalSparsity: number, epochs: number, batchesPerEpoch: number): PolynomialDecay & { rampEpochs: number } {
  const rampEpochs = Math.max(1, Math.ceil(epochs / 2));
  const endStep = rampEpochs * batchesPerEpoch;
  return {
    initialSparsity: 0,
    finalSparsity,
    beginStep: 0,
    endStep,
    power: 3,
    frequency: Math.max(1, Math.floor(endStep / 10)),
    rampEpochs,
  };
}
