import { fail } from '../../util/index.js';

/**
 * Convention for all metrics here: label 1 (or true) is an anomaly, and a
 * higher score means "more anomalous". A clip is flagged when score >= threshold.
 */
export type Label = 0 | 1 | boolean;

export interface RocCurve {
  /** False-positive rate per threshold, from 0 up to 1. */
  fpr: number[];
  /** True-positive rate per threshold, from 0 up to 1. */
  tpr: number[];
  /** thresholds[i] gives (fpr[i], tpr[i]); thresholds[0] = +Infinity (nothing flagged). */
  thresholds: number[];
  positives: number;
  negatives: number;
}

/**
 * The exact empirical ROC curve: one point per distinct score, so tied scores
 * move the curve diagonally in one step (which is what makes the trapezoid
 * area equal the Mann-Whitney statistic with ties counted as 1/2).
 */
export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<Label>): RocCurve {
  const { positives, negatives } = checkInputs(scores, labels);
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const fpr = [0];
  const tpr = [0];
  const thresholds = [Number.POSITIVE_INFINITY];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (labels[i]) tp++;
    else fp++;
    const next = order[k + 1];
    if (next === undefined || scores[next] !== scores[i]) {
      fpr.push(fp / negatives);
      tpr.push(tp / positives);
      thresholds.push(scores[i]!);
    }
  }
  return { fpr, tpr, thresholds, positives, negatives };
}

function checkInputs(scores: ArrayLike<number>, labels: ArrayLike<Label>): { positives: number; negatives: number } {
  if (scores.length !== labels.length) {
    fail('BAD_ARGUMENT', `ROC needs one label per score, got ${scores.length} scores and ${labels.length} labels`);
  }
  let positives = 0;
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i])) fail('BAD_ARGUMENT', `ROC score ${i} is ${scores[i]}; anomaly scores must be finite numbers`);
    const l = labels[i];
    if (l !== 0 && l !== 1 && l !== true && l !== false)
      fail('BAD_ARGUMENT', `ROC label ${i} is ${String(l)}; use 1/true for anomaly, 0/false for normal`);
    if (l) positives++;
  }
  const negatives = scores.length - positives;
  if (positives === 0 || negatives === 0) {
    fail(
      'BAD_DATASET',
      `ROC needs both normal and anomalous clips, got ${negatives} normal and ${positives} anomalous; add the missing class to the test set`,
    );
  }
  return { positives, negatives };
}
