import path from 'node:path';
import { evaluate } from '../../evaluate/index.js';
import type { FeatureOverrides } from '../../data/index.js';
import { train } from '../../learn/index.js';
import type { DatasetOptions } from '../../data/index.js';
import { deviceFigures, type DeviceFigures } from './figures.js';

/** One sweep point: a (rate, input size, round) trained, evaluated and sized. */
export interface PointSpec {
  data: string;
  outDir: string;
  rate: number;
  round: number;
  seed: number;
  epochs: number;
  /** Input-size overrides (n_mels, frames); empty = the Nano defaults. */
  input: Pick<FeatureOverrides, 'nMels' | 'frames' | 'mode'>;
  /** Marks the configuration chosen by --fit. */
  label: string;
  cacheDir?: string;
  /** How to read `data` (layout, machine, channel, labels). */
  dataset?: DatasetOptions;
}

export interface PointResult extends DeviceFigures {
  rate: number;
  round: number;
  seed: number;
  label: string;
  nMels: number;
  frames: number;
  nFft: number;
  hop: number;
  aucFloat: number;
  aucInt8: number;
  pAucFloat: number;
  pAucInt8: number;
  /** Host (this machine) float inference time per window, milliseconds, TF.js. */
  hostMsPerWindow: number;
  trainSeconds: number;
}

export function pointDir(p: Pick<PointSpec, 'outDir' | 'rate' | 'label' | 'round'>): string {
  return path.join(p.outDir, 'runs', `${p.rate}-${p.label}-r${p.round}`);
}

export async function runPoint(p: PointSpec): Promise<PointResult> {
  const run = pointDir(p);
  const t = await train({
    data: p.data,
    rate: p.rate,
    out: run,
    epochs: p.epochs,
    seed: p.seed,
    ...p.input,
    ...(p.cacheDir ? { cacheDir: p.cacheDir } : {}),
    ...(p.dataset ? { dataset: p.dataset } : {}),
  });
  const e = await evaluate({ run, data: p.data, ...(p.cacheDir ? { cacheDir: p.cacheDir } : {}) });
  const f = t.config.features;
  return {
    rate: p.rate,
    round: p.round,
    seed: p.seed,
    label: p.label,
    nMels: f.nMels,
    frames: f.windowFrames,
    nFft: f.nFft,
    hop: f.hop,
    aucFloat: e.report.float.auc,
    aucInt8: e.report.int8.auc,
    pAucFloat: e.report.float.partialAuc,
    pAucInt8: e.report.int8.partialAuc,
    hostMsPerWindow: (1000 * e.seconds.float) / Math.max(1, e.windows),
    trainSeconds: t.seconds.features + t.seconds.fit,
    ...deviceFigures(e.int8Graph, f),
  };
}
