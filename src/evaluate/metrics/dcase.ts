import { rocAuc } from './auc.js';
import { partialAuc, partialAucMcClish } from './partial-auc.js';

/**
 * DCASE Task 2 scores per section and domain, and the official score.
 *
 * Which clips go into each number, as the challenge computes them (nttcslab's
 * dcase2023_task2_evaluator and dcase2024_task2_evaluator, `output_result`,
 * and the DCASE 2023 task description, Harada et al., arXiv:2305.07828, §
 * "Evaluation metrics"; 2022's evaluator is the same):
 *  - AUC(section, domain d): the section's normal clips of domain d against
 *    ALL the section's anomalous clips, of both domains (the evaluator keeps
 *    clips with `domain == d or label != 0`);
 *  - pAUC(section): all the section's clips, both domains, FPR ≤ p = 0.1;
 *  - official score: the harmonic mean of every AUC(source), AUC(target) and
 *    pAUC over sections (and machine types), each floored at the float
 *    epsilon as the evaluator does before scipy.stats.hmean.
 * The evaluator's pAUC is sklearn's `roc_auc_score(max_fpr=0.1)`, i.e. the
 * McClish-standardised value, and so are the published baseline figures: the
 * official score uses that one (`partialAucMcClish`); the raw pAUC/p of the
 * task description is reported beside it.
 *
 * Datasets without domains (DCASE 2020, MIMII, ToyADMOS, where one domain is
 * all there is): AUC(section) over the section's clips, and the same harmonic
 * mean over AUC and pAUC per section, which is what DCASE 2021's rule
 * (y-kawagu/dcase2021_task2_evaluator: hmean over sections and domains, each
 * scored within its domain) gives for one domain. DCASE 2020 itself ranked by
 * the arithmetic means (y-kawagu/dcase2020_task2_evaluator), also returned.
 */
export type ScoreDomain = 'source' | 'target';

export interface SectionClip {
  score: number;
  label: 0 | 1;
  section?: string;
  domain?: ScoreDomain;
}

export interface SectionScores {
  section: string;
  clips: { normal: number; anomaly: number };
  /** All the section's normals against all its anomalies; null when either is missing. */
  auc: number | null;
  partialAuc: number | null;
  partialAucMcClish: number | null;
  /** Per domain: its normals against all the section's anomalies. */
  domains: Array<{ domain: ScoreDomain; normal: number; auc: number | null }>;
}

export interface OfficialScore {
  /** Harmonic mean of the terms; null when no term could be computed. */
  value: number | null;
  arithmeticMean: number | null;
  terms: Array<{ section: string; name: string; value: number | null }>;
}

/** Sections without a name (a folder of one MIMII id) are reported under this one. */
export const ALL_SECTIONS = 'all';
/** scipy.stats.hmean is applied to max(x, sys.float_info.epsilon) by the evaluators. */
const FLOAT_EPSILON = 2 ** -52;
const DOMAIN_ORDER: readonly ScoreDomain[] = ['source', 'target'];

export function sectionScores(clips: readonly SectionClip[], maxFpr = 0.1): SectionScores[] {
  const names = [...new Set(clips.map((c) => c.section ?? ALL_SECTIONS))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return names.map((section) => {
    const own = clips.filter((c) => (c.section ?? ALL_SECTIONS) === section);
    const anomalies = own.filter((c) => c.label === 1);
    const normals = own.filter((c) => c.label === 0);
    const domains = DOMAIN_ORDER.filter((d) => own.some((c) => c.domain === d)).map((domain) => {
      const dn = normals.filter((c) => c.domain === domain);
      return { domain, normal: dn.length, auc: aucOrNull([...dn, ...anomalies], rocAuc) };
    });
    return {
      section,
      clips: { normal: normals.length, anomaly: anomalies.length },
      auc: aucOrNull(own, rocAuc),
      partialAuc: aucOrNull(own, (s, l) => partialAuc(s, l, maxFpr)),
      partialAucMcClish: aucOrNull(own, (s, l) => partialAucMcClish(s, l, maxFpr)),
      domains,
    };
  });
}

/** The official score over sections: AUC(source), AUC(target) and pAUC per section with domains, AUC and pAUC without. */
export function officialScore(sections: readonly SectionScores[]): OfficialScore {
  const withDomains = sections.some((s) => s.domains.length > 0);
  const terms = sections.flatMap((s) => [
    ...(withDomains
      ? DOMAIN_ORDER.map((d) => ({ section: s.section, name: `AUC (${d})`, value: s.domains.find((x) => x.domain === d)?.auc ?? null }))
      : [{ section: s.section, name: 'AUC', value: s.auc }]),
    { section: s.section, name: 'pAUC', value: s.partialAucMcClish },
  ]);
  const values = terms.flatMap((t) => (t.value === null ? [] : [t.value]));
  return {
    value: values.length ? harmonicMean(values) : null,
    arithmeticMean: values.length ? values.reduce((a, b) => a + b, 0) / values.length : null,
    terms,
  };
}

/** scipy.stats.hmean of max(x, float epsilon), as the DCASE evaluators call it. */
export function harmonicMean(xs: readonly number[]): number {
  return xs.length / xs.reduce((s, x) => s + 1 / Math.max(x, FLOAT_EPSILON), 0);
}

function aucOrNull(clips: readonly SectionClip[], fn: (s: number[], l: Array<0 | 1>) => number): number | null {
  const pos = clips.filter((c) => c.label === 1).length;
  if (pos === 0 || pos === clips.length) return null;
  return fn(
    clips.map((c) => c.score),
    clips.map((c) => c.label),
  );
}
