import { fail } from '../util/index.js';
import { createRng } from '../util/index.js';

export interface NormalSplit<T> {
  train: T[];
  val: T[];
  test: T[];
}

/**
 * The paper's split of normal clips into train / validation / test
 * (60/20/20 by default; anomalous clips all join the test set elsewhere).
 *
 * Deterministic: the input is sorted by its string form first, so the result
 * depends only on the set of files and the seed, not on directory listing
 * order. Sizes are floor(n·fraction) for train and val; test takes the rest,
 * so no clip is dropped.
 */
export function splitNormal<T extends string | { toString(): string }>(
  files: readonly T[],
  seed: number,
  fractions: readonly [number, number, number] = [0.6, 0.2, 0.2],
): NormalSplit<T> {
  const [fTrain, fVal, fTest] = fractions;
  if (fractions.some((f) => !(f >= 0)) || Math.abs(fTrain + fVal + fTest - 1) > 1e-9) {
    fail('BAD_ARGUMENT', `split fractions must be non-negative and sum to 1, got [${fractions.join(', ')}]; use e.g. [0.6, 0.2, 0.2]`);
  }
  const sorted = files.slice().sort((a, b) => compare(String(a), String(b)));
  for (let i = 1; i < sorted.length; i++) {
    if (String(sorted[i]) === String(sorted[i - 1]))
      fail('BAD_DATASET', `duplicate file in split input: ${String(sorted[i])}; list each clip once`);
  }
  const order = createRng(seed).derive('split-normal').shuffled(sorted);
  const nTrain = Math.floor(order.length * fTrain + 1e-9);
  const nVal = Math.floor(order.length * fVal + 1e-9);
  return {
    train: order.slice(0, nTrain),
    val: order.slice(nTrain, nTrain + nVal),
    test: order.slice(nTrain + nVal),
  };
}

/** Code-unit order, independent of the locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
