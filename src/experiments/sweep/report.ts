import type { PointResult } from './point.js';

/** Mean ± std over the rounds of one (rate, configuration). */
export interface SweepRow {
  rate: number;
  label: string;
  nMels: number;
  frames: number;
  nFft: number;
  hop: number;
  rounds: number;
  aucFloat: { mean: number; std: number };
  aucInt8: { mean: number; std: number };
  pAucFloat: number;
  pAucInt8: number;
  modelBytes: number;
  macs: number;
  arenaBytes: number;
  frontEndInstructionsPerSecond: number;
  inferenceInstructions: number;
  inferencesPerSecond: number;
  hostMsPerWindow: number;
  fits: boolean;
  /** True for the configuration --fit chose at this rate. */
  bestFit: boolean;
}

export function aggregate(points: readonly PointResult[], bestFit: ReadonlySet<string>): SweepRow[] {
  const groups = new Map<string, PointResult[]>();
  for (const p of points) {
    const key = `${p.rate}|${p.label}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  return [...groups.values()]
    .map((g) => {
      const p = g[0]!;
      return {
        rate: p.rate,
        label: p.label,
        nMels: p.nMels,
        frames: p.frames,
        nFft: p.nFft,
        hop: p.hop,
        rounds: g.length,
        aucFloat: meanStd(g.map((x) => x.aucFloat)),
        aucInt8: meanStd(g.map((x) => x.aucInt8)),
        pAucFloat: mean(g.map((x) => x.pAucFloat)),
        pAucInt8: mean(g.map((x) => x.pAucInt8)),
        modelBytes: p.modelBytes,
        macs: p.macs,
        arenaBytes: p.arenaBytes,
        frontEndInstructionsPerSecond: p.frontEndInstructionsPerSecond,
        inferenceInstructions: p.inferenceInstructions,
        inferencesPerSecond: p.inferencesPerSecond,
        hostMsPerWindow: mean(g.map((x) => x.hostMsPerWindow)),
        fits: p.fitsRam && p.fitsFlash,
        bestFit: bestFit.has(`${p.rate}|${p.nMels}x${p.frames}`),
      };
    })
    .sort((a, b) => b.rate - a.rate || a.label.localeCompare(b.label));
}

function mean(xs: number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

/** Sample standard deviation (n − 1), 0 for one round, as the paper's "mean ± std over 5 runs". */
function meanStd(xs: number[]): { mean: number; std: number } {
  const m = mean(xs);
  const std = xs.length > 1 ? Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean: m, std };
}

export function renderCsv(points: readonly PointResult[]): string {
  const cols = [
    'rate',
    'label',
    'round',
    'seed',
    'nMels',
    'frames',
    'nFft',
    'hop',
    'aucFloat',
    'aucInt8',
    'pAucFloat',
    'pAucInt8',
    'modelBytes',
    'macs',
    'arenaBytes',
    'frontEndInstructionsPerSecond',
    'inferenceInstructions',
    'inferencesPerSecond',
    'hostMsPerWindow',
    'fitsRam',
    'fitsFlash',
  ] as const;
  const rows = [...points].sort((a, b) => b.rate - a.rate || a.label.localeCompare(b.label) || a.round - b.round);
  return [cols.join(','), ...rows.map((p) => cols.map((c) => String(p[c])).join(','))].join('\n') + '\n';
}

export function renderMarkdown(rows: readonly SweepRow[], board: string): string {
  const pm = (m: { mean: number; std: number }) => `${m.mean.toFixed(3)} ± ${m.std.toFixed(3)}`;
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  return [
    '# Sample-rate sweep',
    '',
    `AUC mean ± std over rounds (different seeds). int8: our TFLM-exact interpreter, scored as the device does. M4 instructions are estimates (src/train/sweep/cost-model.ts). "fits": RAM and flash within ${board}; ★ = the largest input that fits (--fit).`,
    '',
    '| rate (Hz) | input (Mel × frames) | n_fft / hop | rounds | AUC float | AUC int8 | pAUC float | model (B) | MACs | arena (B) | front-end M4 instr/s | inference M4 instr | inferences/s | host ms/window | fits |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.rate} | ${r.nMels} × ${r.frames}${r.bestFit ? ' ★' : ''} | ${r.nFft} / ${r.hop} | ${r.rounds} | ${pm(r.aucFloat)} | ${pm(r.aucInt8)} | ${r.pAucFloat.toFixed(3)} | ${n(r.modelBytes)} | ${n(r.macs)} | ${n(r.arenaBytes)} | ${n(r.frontEndInstructionsPerSecond)} | ${n(r.inferenceInstructions)} | ${r.inferencesPerSecond.toFixed(2)} | ${r.hostMsPerWindow.toFixed(2)} | ${r.fits ? 'yes' : 'no'} |`,
    ),
    '',
    '![AUC vs rate](auc-vs-rate.png)',
    '![compute vs rate](compute-vs-rate.png)',
    '',
  ].join('\n');
}
