import { officialScore, sectionScores, type OfficialScore, type ScoreDomain, type SectionScores } from './metrics/index.js';

/**
 * `tinypdm eval`'s DCASE-style part, for datasets with sections or domains
 * (DCASE, MIMII, ToyADMOS): AUC and pAUC per section and per domain, and the
 * challenge's official score (definitions and sources in metrics/dcase.ts),
 * for the float and the int8 model side by side.
 */
export interface SectionScoredClip {
  label: 0 | 1;
  section?: string;
  domain?: ScoreDomain;
  float: number;
  int8: number;
}

export interface EvalSections {
  sections: Array<{ section: string; float: SectionScores; int8: SectionScores }>;
  official: { definition: string; float: OfficialScore; int8: OfficialScore };
}

export const OFFICIAL_WITH_DOMAINS =
  "DCASE 2022–2024 Task 2: harmonic mean over sections of AUC (source), AUC (target) and pAUC; AUC (domain) = that domain's normal clips vs all the section's anomalous clips; pAUC over both domains, FPR ≤ 0.1, McClish-standardised as sklearn's roc_auc_score(max_fpr=0.1) in the challenge's evaluator";
export const OFFICIAL_ONE_DOMAIN =
  "DCASE Task 2 rule for one domain: harmonic mean over sections of AUC and pAUC (FPR ≤ 0.1, McClish-standardised as sklearn's roc_auc_score(max_fpr=0.1) in the challenge's evaluator); the arithmetic mean is DCASE 2020's";

export function evalSections(clips: readonly SectionScoredClip[], maxFpr: number): EvalSections {
  const of = (which: 'float' | 'int8') =>
    sectionScores(
      clips.map((c) => ({
        score: c[which],
        label: c.label,
        ...(c.section !== undefined ? { section: c.section } : {}),
        ...(c.domain ? { domain: c.domain } : {}),
      })),
      maxFpr,
    );
  const float = of('float');
  const int8 = of('int8');
  const withDomains = clips.some((c) => c.domain !== undefined);
  return {
    sections: float.map((f, i) => ({ section: f.section, float: f, int8: int8[i]! })),
    official: {
      definition: withDomains ? OFFICIAL_WITH_DOMAINS : OFFICIAL_ONE_DOMAIN,
      float: officialScore(float),
      int8: officialScore(int8),
    },
  };
}

/** Markdown: the official score, then one row per section and model. */
export function renderSectionsMarkdown(s: EvalSections): string[] {
  const f = (x: number | null) => (x === null ? '–' : x.toFixed(4));
  const domains = [...new Set(s.sections.flatMap((x) => x.float.domains.map((d) => d.domain)))];
  const head = ['section', 'model', 'normal / anomalous clips', 'AUC (all)', ...domains.map((d) => `AUC (${d})`), 'pAUC', 'pAUC raw'];
  const row = (section: string, model: string, m: SectionScores) => [
    section,
    model,
    `${m.clips.normal} / ${m.clips.anomaly}`,
    f(m.auc),
    ...domains.map((d) => {
      const x = m.domains.find((y) => y.domain === d);
      return x ? `${f(x.auc)} (${x.normal} normal)` : '–';
    }),
    f(m.partialAucMcClish),
    f(m.partialAuc),
  ];
  const o = s.official;
  const missing = o.float.terms.filter((t) => t.value === null).map((t) => `${t.name} of section ${t.section}`);
  return [
    '## Per section (DCASE)',
    '',
    `Official score: float **${f(o.float.value)}**, int8 **${f(o.int8.value)}** (arithmetic mean: float ${f(o.float.arithmeticMean)}, int8 ${f(o.int8.arithmeticMean)}).`,
    `Definition: ${o.definition}.${missing.length ? ` Not computable and left out (a class is missing): ${missing.join(', ')}.` : ''}`,
    '',
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...s.sections.flatMap((x) =>
      [row(x.section, 'float', x.float), row(x.section, 'int8', x.int8)].map((cells) => `| ${cells.join(' | ')} |`),
    ),
    '',
  ];
}
