import { fail } from '../../util/index.js';
import { areaUnder } from './auc.js';
import { rocCurve, type Label } from './roc.js';

/**
 * Partial AUC over FPR in [0, maxFpr], normalised by maxFpr: (1/p)∫₀ᵖ TPR dFPR.
 * A perfect detector scores 1, a random one p/2 (0.05 at p = 0.1).
 *
 * This is the pAUC as *defined* by DCASE 2020–2023 Task 2 (Koizumi et al.,
 * the task descriptions) and the value our reports use. Beware: the DCASE
 * baseline code and MLPerf Tiny's anomaly-detection eval call sklearn's
 * `roc_auc_score(max_fpr=0.1)`, which returns the McClish-standardised value
 * instead (random = 0.5); use `partialAucMcClish` to compare with those numbers.
 */
export function partialAuc(scores: ArrayLike<number>, labels: ArrayLike<Label>, maxFpr = 0.1): number {
  checkMaxFpr(maxFpr);
  return areaUnder(rocCurve(scores, labels), maxFpr) / maxFpr;
}

/**
 * McClish (1989) standardised partial AUC, as sklearn's
 * `roc_auc_score(max_fpr=p)`: 0.5·(1 + (A − p²/2)/(p − p²/2)) with A the raw
 * area up to p. Maps chance to 0.5 and perfect to 1.
 */
export function partialAucMcClish(scores: ArrayLike<number>, labels: ArrayLike<Label>, maxFpr = 0.1): number {
  checkMaxFpr(maxFpr);
  const area = areaUnder(rocCurve(scores, labels), maxFpr);
  const minArea = (maxFpr * maxFpr) / 2;
  return 0.5 * (1 + (area - minArea) / (maxFpr - minArea));
}

function checkMaxFpr(maxFpr: number): void {
  if (!(maxFpr > 0 && maxFpr <= 1)) fail('BAD_ARGUMENT', `partial AUC maxFpr must be in (0, 1], got ${maxFpr}; DCASE uses 0.1`);
}
