import type { RenderedPlot } from '../../evaluate/index.js';
import { optLabel, type OptPointResult } from './opt-point.js';
import { paretoFront, renderParetoPlot } from './pareto.js';

/** One (rate, prune, cluster) of `sweep --opt`, averaged over rounds, with its place on both Pareto fronts. */
export interface OptRow {
  rate: number;
  prune: number;
  cluster: number;
  pruneChannels: number;
  rounds: number;
  aucInt8: number;
  aucFloat: number;
  baselineAucInt8: number;
  modelBytes: number;
  gzipBytes: number;
  macs: number;
  inferenceInstructions: number;
  m4InstructionsPerSecond: number;
  /** On the front of int8 AUC against flash (flatbuffer bytes) / against M4 instructions per second. */
  frontFlash: boolean;
  frontM4: boolean;
}

export function aggregateOpt(points: readonly OptPointResult[]): OptRow[] {
  const groups = new Map<string, OptPointResult[]>();
  for (const p of points) {
    const key = `${p.rate}|${p.pruneChannels}|${p.prune}|${p.cluster}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const mean = (g: OptPointResult[], k: keyof OptPointResult) => g.reduce((s, p) => s + p[k], 0) / g.length;
  const rows = [...groups.values()].map((g) => ({
    rate: g[0]!.rate,
    prune: g[0]!.prune,
    cluster: g[0]!.cluster,
    pruneChannels: g[0]!.pruneChannels,
    rounds: g.length,
    aucInt8: mean(g, 'aucInt8'),
    aucFloat: mean(g, 'aucFloat'),
    baselineAucInt8: mean(g, 'baselineAucInt8'),
    modelBytes: g[0]!.modelBytes,
    gzipBytes: Math.round(mean(g, 'gzipBytes')),
    macs: g[0]!.macs,
    inferenceInstructions: g[0]!.inferenceInstructions,
    m4InstructionsPerSecond: g[0]!.m4InstructionsPerSecond,
  }));
  const flash = paretoFront(rows.map((r) => ({ cost: r.modelBytes, score: r.aucInt8 })));
  const m4 = paretoFront(rows.map((r) => ({ cost: r.m4InstructionsPerSecond, score: r.aucInt8 })));
  return rows
    .map((r, i) => ({ ...r, frontFlash: flash[i]!, frontM4: m4[i]! }))
    .sort((a, b) => b.rate - a.rate || a.pruneChannels - b.pruneChannels || a.prune - b.prune || a.cluster - b.cluster);
}

const CSV_COLS = [
  'rate',
  'round',
  'pruneChannels',
  'prune',
  'cluster',
  'aucInt8',
  'aucFloat',
  'baselineAucInt8',
  'modelBytes',
  'gzipBytes',
  'macs',
  'arenaBytes',
  'inferenceInstructions',
  'm4InstructionsPerSecond',
] as const;

export function renderOptCsv(points: readonly OptPointResult[]): string {
  const rows = [...points].sort(
    (a, b) => b.rate - a.rate || a.pruneChannels - b.pruneChannels || a.prune - b.prune || a.cluster - b.cluster || a.round - b.round,
  );
  return [CSV_COLS.join(','), ...rows.map((p) => CSV_COLS.map((c) => String(p[c])).join(','))].join('\n') + '\n';
}

export function renderOptMarkdown(rows: readonly OptRow[], finetune: number): string {
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  return [
    '# Optimisation sweep (prune × cluster × rate)',
    '',
    `Each point: the rate's trained run, \`emit --prune-channels F --prune S --cluster K${finetune > 0 ? ` --finetune ${finetune}` : ''}\` (L1 filter pruning, per-layer magnitude pruning, linear-init clustering, int8), scored on the run's test split as \`tinypdm eval\` does (int8: the TFLM-exact interpreter). AUC is the mean over rounds. Flash = the int8 flatbuffer, which TFLM stores dense: only filter pruning shrinks it; magnitude pruning and clustering shrink the gzip size. M4 instructions per second of audio = front-end + inferences (estimates, src/train/sweep/cost-model.ts). ◆ = on the Pareto front (no other point is as good or better in both AUC and cost).`,
    '',
    '| rate (Hz) | filters removed | prune | clusters | rounds | AUC int8 | Δ vs plain int8 | AUC float | flash (B) | gzip (B) | MACs | M4 instr/inference | M4 instr/s | front: flash | front: M4 |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.rate} | ${r.pruneChannels} | ${r.prune} | ${r.cluster || '—'} | ${r.rounds} | ${r.aucInt8.toFixed(3)} | ${(r.aucInt8 - r.baselineAucInt8 >= 0 ? '+' : '') + (r.aucInt8 - r.baselineAucInt8).toFixed(3)} | ${r.aucFloat.toFixed(3)} | ${n(r.modelBytes)} | ${n(r.gzipBytes)} | ${n(r.macs)} | ${n(r.inferenceInstructions)} | ${n(r.m4InstructionsPerSecond)} | ${r.frontFlash ? '◆' : ''} | ${r.frontM4 ? '◆' : ''} |`,
    ),
    '',
    '![AUC vs flash](pareto-flash.png)',
    '![AUC vs M4 instructions](pareto-m4.png)',
    '',
  ].join('\n');
}

export async function renderOptPlots(rows: readonly OptRow[]): Promise<{ flash: RenderedPlot; m4: RenderedPlot }> {
  const label = (r: OptRow) => `${r.rate} ${optLabel(r)}`;
  const flash = await renderParetoPlot({
    title: 'int8 AUC vs flash (model bytes)',
    xTitle: 'flatbuffer bytes',
    yTitle: 'ROC AUC (int8)',
    points: rows.map((r) => ({ label: label(r), group: String(r.rate), cost: r.modelBytes, score: r.aucInt8, front: r.frontFlash })),
  });
  const m4 = await renderParetoPlot({
    title: 'int8 AUC vs Cortex-M4 compute (estimate)',
    xTitle: 'M4 instructions per second of audio',
    yTitle: 'ROC AUC (int8)',
    points: rows.map((r) => ({
      label: label(r),
      group: String(r.rate),
      cost: r.m4InstructionsPerSecond,
      score: r.aucInt8,
      front: r.frontM4,
    })),
  });
  return { flash, m4 };
}
