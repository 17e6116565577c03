import { rocCurve, type Label, type RocCurve } from './roc.js';

/**
 * ROC AUC by the trapezoid rule over the exact curve. Because ties form a
 * diagonal step, this equals the Mann-Whitney U / (n1·n0) with ties counted
 * as 1/2, i.e. sklearn's `roc_auc_score`.
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<Label>): number {
  return areaUnder(rocCurve(scores, labels));
}

export function areaUnder(curve: Pick<RocCurve, 'fpr' | 'tpr'>, maxFpr = 1): number {
  const { fpr, tpr } = curve;
  let area = 0;
  for (let i = 1; i < fpr.length; i++) {
    const x0 = fpr[i - 1]!;
    if (x0 >= maxFpr) break;
    let x1 = fpr[i]!;
    let y1 = tpr[i]!;
    if (x1 > maxFpr) {
      // Cut the segment at maxFpr by linear interpolation.
      y1 = tpr[i - 1]! + ((tpr[i]! - tpr[i - 1]!) * (maxFpr - x0)) / (x1 - x0);
      x1 = maxFpr;
    }
    area += ((x1 - x0) * (tpr[i - 1]! + y1)) / 2;
  }
  return area;
}
