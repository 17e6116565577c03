import { rocCurve, type Label } from './roc.js';

export interface OperatingPoint {
  /** Flag a clip as anomalous when score >= threshold. */
  threshold: number;
  tpr: number;
  fpr: number;
  precision: number;
  recall: number;
  /** Youden's J = TPR − FPR at this threshold. */
  j: number;
}

/**
 * The threshold maximising Youden's J (the paper's choice). Among equal J the
 * highest threshold wins: it raises the fewest false alarms for the same J.
 * Only thresholds at actual scores are considered, so the threshold is a
 * score seen in the data (the +Infinity "flag nothing" point has J = 0 and is
 * never better than a real one).
 */
export function youdenThreshold(scores: ArrayLike<number>, labels: ArrayLike<Label>): OperatingPoint {
  const curve = rocCurve(scores, labels);
  let best = 1;
  for (let i = 2; i < curve.fpr.length; i++) {
    if (curve.tpr[i]! - curve.fpr[i]! > curve.tpr[best]! - curve.fpr[best]!) best = i;
  }
  const tpr = curve.tpr[best]!;
  const fpr = curve.fpr[best]!;
  const tp = Math.round(tpr * curve.positives);
  const fp = Math.round(fpr * curve.negatives);
  return { threshold: curve.thresholds[best]!, tpr, fpr, precision: tp / (tp + fp), recall: tpr, j: tpr - fpr };
}
