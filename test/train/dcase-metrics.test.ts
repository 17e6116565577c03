import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { harmonicMean, officialScore, sectionScores, type SectionClip } from '../../src/evaluate/metrics/index.js';
import { seededRandom } from '../fixtures/models.js';

/**
 * The DCASE scores against an independent numpy/scipy reference written from
 * the challenge evaluator's recipe (nttcslab/dcase2023_task2_evaluator): per
 * section, AUC(domain) on `domain == d or label != 0`, pAUC on all the
 * section's clips by sklearn's max_fpr algorithm (roc_curve, cut at max_fpr
 * with np.interp, trapezoid, McClish), official score =
 * scipy.stats.hmean(np.maximum(terms, eps)). sklearn is not installed here,
 * so its two functions are re-derived in numpy.
 */
const REFERENCE_PY = `
import sys, json, numpy as np
from scipy.stats import rankdata, hmean
def auc(y, s):
    r = rankdata(s); n1 = y.sum(); n0 = (~y).sum()
    return float((r[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))
def roc(y, s):
    order = np.argsort(-s, kind='mergesort'); s2 = s[order]; y2 = y[order]
    last = np.r_[np.where(np.diff(s2))[0], len(s2) - 1]
    tps = np.cumsum(y2)[last]; fps = np.cumsum(~y2)[last]
    return np.r_[0, fps / fps[-1]], np.r_[0, tps / tps[-1]]
def pauc(y, s, p):
    fpr, tpr = roc(y, s)
    stop = np.searchsorted(fpr, p, 'right')
    x = np.r_[fpr[:stop], p]; t = np.r_[tpr[:stop], np.interp(p, fpr[stop - 1:stop + 1], tpr[stop - 1:stop + 1])]
    area = np.trapz(t, x) if hasattr(np, 'trapz') else np.trapezoid(t, x)
    return float(area / p), float(0.5 * (1 + (area - p * p / 2) / (p - p * p / 2)))
out = []
for case in json.load(sys.stdin):
    s = np.array(case['score'], dtype=np.float64); y = np.array(case['label'], dtype=bool)
    sec = np.array(case['section']); dom = np.array(case['domain'])
    sections, terms = [], []
    for name in sorted(set(case['section'])):
        m = sec == name
        raw, mc = pauc(y[m], s[m], 0.1)
        row = {'section': name, 'auc': auc(y[m], s[m]), 'praw': raw, 'pmc': mc, 'domains': {}}
        for d in ['source', 'target']:
            if not (dom[m] == d).any(): continue
            keep = m & ((dom == d) | y)
            row['domains'][d] = auc(y[keep], s[keep])
        if case['withDomains']:
            terms += [row['domains']['source'], row['domains']['target'], mc]
        else:
            terms += [row['auc'], mc]
        sections.append(row)
    t = np.maximum(np.array(terms), sys.float_info.epsilon)
    out.append({'sections': sections, 'official': float(hmean(t)), 'amean': float(np.mean(terms))})
print(json.dumps(out))
`;

interface Case {
  score: number[];
  label: number[];
  section: string[];
  domain: string[];
  withDomains: boolean;
}

function randomCase(seed: number, withDomains: boolean): Case {
  const rand = seededRandom(seed);
  const c: Case = { score: [], label: [], section: [], domain: [], withDomains };
  for (const section of ['00', '01', '02']) {
    for (const domain of withDomains ? ['source', 'target'] : ['none']) {
      const n = 6 + Math.floor(rand() * 14);
      for (let i = 0; i < n; i++) {
        const anomaly = rand() < 0.45 || i === 0;
        const normalFirst = i === 1;
        const label = normalFirst ? 0 : anomaly ? 1 : 0;
        // Target-domain normals score higher (a domain shift); small integers make ties.
        c.score.push(Math.round((rand() * 8 + (label ? 3 : 0) + (domain === 'target' ? 2 : 0)) * 2) / 2);
        c.label.push(label);
        c.section.push(section);
        c.domain.push(domain);
      }
    }
  }
  return c;
}

describe('DCASE section, domain and official scores', () => {
  it('match the evaluator recipe in numpy, with and without domains', () => {
    const cases = [1, 2, 3, 4].map((s) => randomCase(s, true)).concat([5, 6].map((s) => randomCase(s, false)));
    const ref = JSON.parse(execFileSync('/usr/bin/python3', ['-c', REFERENCE_PY], { input: JSON.stringify(cases), encoding: 'utf8' }));
    cases.forEach((c, k) => {
      const clips: SectionClip[] = c.score.map((score, i) => ({
        score,
        label: c.label[i] as 0 | 1,
        section: c.section[i]!,
        ...(c.withDomains ? { domain: c.domain[i] as 'source' | 'target' } : {}),
      }));
      const ours = sectionScores(clips, 0.1);
      const r = ref[k];
      expect(ours.map((s) => s.section)).toEqual(r.sections.map((s: { section: string }) => s.section));
      ours.forEach((s, i) => {
        const rs = r.sections[i];
        expect(s.auc!).toBeCloseTo(rs.auc, 12);
        expect(s.partialAuc!).toBeCloseTo(rs.praw, 12);
        expect(s.partialAucMcClish!).toBeCloseTo(rs.pmc, 12);
        expect(Object.fromEntries(s.domains.map((d) => [d.domain, d.auc]))).toEqual(
          Object.fromEntries(Object.entries(rs.domains as Record<string, number>).map(([d, v]) => [d, expect.closeTo(v, 12)])),
        );
      });
      const o = officialScore(ours);
      expect(o.value!).toBeCloseTo(r.official, 12);
      expect(o.arithmeticMean!).toBeCloseTo(r.amean, 12);
      expect(o.terms).toHaveLength(c.withDomains ? 9 : 6);
    });
  });

  it("AUC (source) takes the source normals against ALL the section's anomalies, not only the source ones", () => {
    // Source normals score 1; source anomalies 2; target anomalies 0. Within the source domain alone AUC would be 1.
    const clips: SectionClip[] = [
      ...[1, 1].map((score) => ({ score, label: 0 as const, section: '00', domain: 'source' as const })),
      ...[2, 2].map((score) => ({ score, label: 1 as const, section: '00', domain: 'source' as const })),
      ...[0, 0].map((score) => ({ score, label: 1 as const, section: '00', domain: 'target' as const })),
      ...[3, 3].map((score) => ({ score, label: 0 as const, section: '00', domain: 'target' as const })),
    ];
    const [s] = sectionScores(clips);
    expect(s!.domains).toEqual([
      { domain: 'source', normal: 2, auc: 0.5 },
      { domain: 'target', normal: 2, auc: 0 },
    ]);
    // A term of 0 drags the harmonic mean to (almost) 0: the evaluator floors at epsilon instead of dividing by zero.
    expect(officialScore([s!]).value!).toBeLessThan(1e-12);
  });

  it('a section without anomalies or without target normals leaves its terms out (null), the rest still count', () => {
    const clips: SectionClip[] = [
      { score: 1, label: 0, section: '00', domain: 'source' },
      { score: 2, label: 1, section: '00', domain: 'source' },
      { score: 1, label: 0, section: '01', domain: 'source' },
      { score: 1, label: 0, section: '01', domain: 'target' },
    ];
    const s = sectionScores(clips);
    expect(s[0]!.domains.map((d) => d.domain)).toEqual(['source']);
    expect(s[1]!.auc).toBeNull();
    const o = officialScore(s);
    expect(o.terms.filter((t) => t.value === null).map((t) => `${t.section} ${t.name}`)).toEqual([
      '00 AUC (target)',
      '01 AUC (source)',
      '01 AUC (target)',
      '01 pAUC',
    ]);
    expect(o.value).toBeCloseTo(harmonicMean([1, 1]), 12);
  });
});
