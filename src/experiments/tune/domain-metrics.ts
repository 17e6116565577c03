import {
  officialScore,
  partialAuc,
  partialAucMcClish,
  PARTIAL_AUC_MAX_FPR,
  rocAuc,
  sectionScores,
  type ScoreDomain,
} from '../../evaluate/index.js';

/**
 * Detection metrics of clip scores for tune's table, as `eval` computes them:
 * AUC and pAUC (max FPR 0.1) over all clips; per domain, that domain's normals
 * against every anomalous clip; and, when the clips carry sections or domains
 * (DCASE, MIMII, ToyADMOS), the DCASE official score over sections
 * (src/evaluate/metrics/dcase.ts has the definition and its sources).
 */
export interface ClipMetrics {
  auc: number;
  /** DCASE/MLPerf raw pAUC and sklearn's McClish-standardised one (what the DCASE baselines print). */
  pAuc: number;
  pAucMcClish: number;
  aucSource?: number;
  aucTarget?: number;
  /** The DCASE official score (harmonic mean over sections), when the dataset has sections or domains. */
  official?: number;
}

export interface MetricClip {
  label: 0 | 1;
  section?: string;
  domain?: ScoreDomain;
}

export function clipMetrics(clips: readonly MetricClip[], scores: readonly number[]): ClipMetrics {
  const labels = clips.map((c) => c.label);
  const base: ClipMetrics = {
    auc: rocAuc([...scores], labels),
    pAuc: partialAuc(scores, labels, PARTIAL_AUC_MAX_FPR),
    pAucMcClish: partialAucMcClish(scores, labels, PARTIAL_AUC_MAX_FPR),
  };
  const domainAuc = (d: ScoreDomain) => {
    const idx = clips.flatMap((c, i) => (c.label === 1 || c.domain === d ? [i] : []));
    return idx.some((i) => clips[i]!.label === 0)
      ? rocAuc(
          idx.map((i) => scores[i]!),
          idx.map((i) => labels[i]!),
        )
      : undefined;
  };
  const aucSource = domainAuc('source');
  const aucTarget = domainAuc('target');
  const sectioned = clips.some((c) => c.section !== undefined || c.domain !== undefined);
  const official = sectioned
    ? officialScore(
        sectionScores(
          clips.map((c, i) => ({ ...c, score: scores[i]! })),
          PARTIAL_AUC_MAX_FPR,
        ),
      ).value
    : null;
  return {
    ...base,
    ...(aucSource !== undefined ? { aucSource } : {}),
    ...(aucTarget !== undefined ? { aucTarget } : {}),
    ...(official !== null ? { official } : {}),
  };
}
