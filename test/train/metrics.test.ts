import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { partialAuc, partialAucMcClish, rocAuc, rocCurve, youdenThreshold } from '../../src/evaluate/metrics/index.js';

/**
 * Independent reference in numpy: AUC from average ranks (Mann-Whitney U),
 * partial AUC by thresholding at every distinct score and np.interp at maxFpr
 * (sklearn's recipe), Youden by brute force over thresholds.
 */
const REFERENCE_PY = `
import sys, json, numpy as np
from scipy.stats import rankdata
cases = json.load(sys.stdin)
out = []
for c in cases:
    s = np.array(c['scores'], dtype=np.float64); y = np.array(c['labels'], dtype=bool)
    n1, n0 = y.sum(), (~y).sum()
    r = rankdata(s)
    auc = (r[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0)
    th = np.concatenate([[np.inf], np.sort(np.unique(s))[::-1]])
    tpr = np.array([(s[y] >= t).mean() for t in th]); fpr = np.array([(s[~y] >= t).mean() for t in th])
    p = c['maxFpr']
    stop = np.searchsorted(fpr, p, 'right')
    xs = np.concatenate([fpr[:stop], [p]]); ys = np.concatenate([tpr[:stop], [np.interp(p, fpr, tpr)]])
    area = np.trapz(ys, xs) if hasattr(np, 'trapz') else np.trapezoid(ys, xs)
    j = tpr - fpr
    best = int(np.argmax(j[1:])) + 1
    tp = (s[y] >= th[best]).sum(); fp = (s[~y] >= th[best]).sum()
    out.append({'auc': auc, 'praw': area / p, 'pmc': 0.5 * (1 + (area - p * p / 2) / (p - p * p / 2)),
                'th': th[best], 'j': j[best], 'precision': tp / (tp + fp)})
print(json.dumps(out))
`;

function reference(cases: { scores: number[]; labels: number[]; maxFpr: number }[]): any[] {
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', REFERENCE_PY], { input: JSON.stringify(cases), encoding: 'utf8' }));
}

/** Pairwise definition, O(n1·n0): P(score of anomaly > score of normal) + ½·P(tie). */
function pairwiseAuc(scores: number[], labels: number[]): number {
  let u = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (!labels[i]) continue;
    for (let j = 0; j < scores.length; j++) {
      if (labels[j]) continue;
      pairs++;
      u += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  return u / pairs;
}

/** Score lists with both classes and plenty of ties (small integer scores). */
const labelledScores = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 12 }), fc.boolean()), { minLength: 2, maxLength: 40 })
  .filter((xs) => xs.some(([, l]) => l) && xs.some(([, l]) => !l))
  .map((xs) => ({ scores: xs.map(([s]) => s / 4), labels: xs.map(([, l]) => (l ? 1 : 0)) }));

describe('ROC metrics', () => {
  it('hand-computed case with ties', () => {
    // normals 0.1 0.4 0.4, anomalies 0.4 0.8: pairs (0.8 beats all 3) + (0.4 beats 0.1, ties 2) = 3 + 1 + 1 = 5 of 6.
    const scores = [0.1, 0.4, 0.4, 0.4, 0.8];
    const labels = [0, 0, 0, 1, 1] as const;
    expect(rocAuc(scores, labels)).toBeCloseTo(5 / 6, 12);
    const c = rocCurve(scores, labels);
    expect(c.thresholds).toEqual([Infinity, 0.8, 0.4, 0.1]);
    expect(c.fpr).toEqual([0, 0, 2 / 3, 1]);
    expect(c.tpr).toEqual([0, 0.5, 1, 1]);
    // Youden: J = 0.5 at 0.8, 1/3 at 0.4 -> 0.8, precision 1.
    expect(youdenThreshold(scores, labels)).toMatchObject({ threshold: 0.8, tpr: 0.5, fpr: 0, precision: 1, recall: 0.5 });
    // pAUC to 0.1: the curve goes (0,0.5) -> (2/3,1), at 0.1 tpr = 0.5 + 0.5*0.15 = 0.575.
    const area = (0.1 * (0.5 + 0.575)) / 2;
    expect(partialAuc(scores, labels, 0.1)).toBeCloseTo(area / 0.1, 12);
  });

  it('agrees with an independent numpy/scipy reference on random cases', () => {
    const cases = fc.sample(labelledScores, { numRuns: 60, seed: 1 }).map((c, i) => ({ ...c, maxFpr: [0.1, 0.05, 0.3, 1][i % 4]! }));
    const ref = reference(cases);
    cases.forEach((c, i) => {
      const r = ref[i]!;
      expect(rocAuc(c.scores, c.labels)).toBeCloseTo(r.auc, 10);
      expect(partialAuc(c.scores, c.labels, c.maxFpr)).toBeCloseTo(r.praw, 10);
      expect(partialAucMcClish(c.scores, c.labels, c.maxFpr)).toBeCloseTo(r.pmc, 10);
      const y = youdenThreshold(c.scores, c.labels);
      expect(y.j).toBeCloseTo(r.j, 10);
      expect(y.threshold).toBe(r.th);
      expect(y.precision).toBeCloseTo(r.precision, 10);
    });
  });

  it('AUC is Mann-Whitney U/(n1·n0), complements under negation, and ignores monotone transforms', () => {
    fc.assert(
      fc.property(labelledScores, ({ scores, labels }) => {
        const auc = rocAuc(scores, labels);
        expect(auc).toBeCloseTo(pairwiseAuc(scores, labels), 12);
        expect(
          rocAuc(
            scores.map((s) => -s),
            labels,
          ),
        ).toBeCloseTo(1 - auc, 12);
        expect(
          rocAuc(
            scores.map((s) => Math.exp(3 * s) + 7),
            labels,
          ),
        ).toBeCloseTo(auc, 12);
        const p = partialAuc(scores, labels, 0.2);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1 + 1e-12);
        expect(partialAuc(scores, labels, 1)).toBeCloseTo(auc, 12);
      }),
      { numRuns: 200, seed: 2 },
    );
  });

  it('perfect and random anchors of the two partial AUC conventions', () => {
    const scores = [1, 2, 3, 4, 5, 6];
    const labels = [0, 0, 0, 1, 1, 1] as const;
    expect(partialAuc(scores, labels)).toBe(1);
    expect(partialAucMcClish(scores, labels)).toBe(1);
    // All tied = the chance diagonal: raw pAUC = p/2, McClish = 0.5.
    expect(partialAuc([1, 1, 1, 1], [0, 1, 0, 1], 0.1)).toBeCloseTo(0.05, 12);
    expect(partialAucMcClish([1, 1, 1, 1], [0, 1, 0, 1], 0.1)).toBeCloseTo(0.5, 12);
  });

  it('rejects inputs that have no ROC, naming the problem', () => {
    expect(() => rocAuc([1, 2], [1, 1])).toThrow(/both normal and anomalous clips, got 0 normal and 2 anomalous/);
    expect(() => rocAuc([1, NaN], [0, 1])).toThrow(/score 1 is NaN/);
    expect(() => rocAuc([1], [0, 1])).toThrow(/1 scores and 2 labels/);
    expect(() => partialAuc([1, 2], [0, 1], 0)).toThrow(/maxFpr must be in \(0, 1\]/);
  });
});
