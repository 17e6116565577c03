import { partialAuc, partialAucMcClish, rocAuc, type Label } from '../metrics/index.js';

/**
 * Detection metrics of clip scores for tune's table. DCASE 2021–2024 Task 2
 * clip names carry their domain (`_source_` / `_target_`): AUC(source) is the
 * source-domain normals against every anomaly and AUC(target) likewise, pAUC
 * (max FPR 0.1) over all clips, and the official score their harmonic mean
 * (the challenge's definition; one section here). Clips without a domain give
 * the overall AUC and pAUC only.
 */
export interface ClipMetrics {
  auc: number;
  /** DCASE/MLPerf raw pAUC and sklearn's McClish-standardised one (what the DCASE baselines print). */
  pAuc: number;
  pAucMcClish: number;
  aucSource?: number;
  aucTarget?: number;
  /** Harmonic mean of AUC(source), AUC(target) and pAUC (McClish), when both domains exist. */
  official?: number;
}

export function clipMetrics(files: readonly string[], labels: readonly Label[], scores: readonly number[]): ClipMetrics {
  const base = { auc: rocAuc([...scores], [...labels]), pAuc: partialAuc(scores, labels, 0.1), pAucMcClish: partialAucMcClish(scores, labels, 0.1) };
  const domain = files.map((f) => (/_source_/.test(f) ? 'source' : /_target_/.test(f) ? 'target' : undefined));
  const pick = (d: string) => {
    const idx = scores.map((_, i) => i).filter((i) => labels[i] === 1 || domain[i] === d);
    return idx.some((i) => labels[i] === 0) ? rocAuc(idx.map((i) => scores[i]!), idx.map((i) => labels[i]!)) : undefined;
  };
  const aucSource = pick('source');
  const aucTarget = pick('target');
  if (aucSource === undefined || aucTarget === undefined) return base;
  const official = 3 / (1 / aucSource + 1 / aucTarget + 1 / Math.max(1e-9, base.pAucMcClish));
  return { ...base, aucSource, aucTarget, official };
}
