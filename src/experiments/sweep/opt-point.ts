import path from 'node:path';
import { aucScorer } from '../../evaluate/index.js';
import { findRunConfig } from '../../data/index.js';
import { emit, readTflite } from '../../compiler/index.js';
import { readInput } from '../../util/index.js';
import { deviceFigures } from './figures.js';

/**
 * One `sweep --opt` point: a trained run (one rate and round) optimised by
 * `emit` with one (structured, unstructured, cluster) setting, fine-tuned on the run's own clips,
 * and scored on its test split (emit --eval-data), so the sweep measures
 * exactly what a user gets from emit.
 */
export interface OptPointSpec {
  kind: 'opt';
  run: string;
  data: string;
  outDir: string;
  rate: number;
  round: number;
  /** Unstructured sparsity; 0 = no pruning. */
  prune: number;
  /** Centroids per layer; 0 = no clustering. */
  cluster: number;
  /** Fraction of conv filters removed (structured); 0 = none. */
  pruneChannels: number;
  finetune: number;
}

export interface OptPointResult {
  rate: number;
  round: number;
  prune: number;
  cluster: number;
  pruneChannels: number;
  aucInt8: number;
  aucFloat: number;
  /** The same run's plain int8 AUC, the point's baseline. */
  baselineAucInt8: number;
  modelBytes: number;
  gzipBytes: number;
  macs: number;
  arenaBytes: number;
  inferenceInstructions: number;
  /** Cortex-M4 instructions per second of audio: front-end plus inferences (estimates, cost-model.ts). */
  m4InstructionsPerSecond: number;
}

export function optLabel(p: Pick<OptPointSpec, 'prune' | 'cluster' | 'pruneChannels'>): string {
  return `c${p.pruneChannels}-p${p.prune}-k${p.cluster}`;
}

export async function runOptPoint(p: OptPointSpec): Promise<OptPointResult> {
  const out = path.join(p.outDir, 'opt', `${p.rate}-r${p.round}-${optLabel(p)}`);
  const optimizing = p.prune > 0 || p.cluster > 0 || p.pruneChannels > 0;
  const r = await emit({
    model: path.join(p.run, 'model.json'),
    out,
    io: 'int8',
    command: `sweep --opt ${optLabel(p)}`,
    scoreAuc: aucScorer(p.data),
    ...(p.prune > 0 ? { prune: p.prune, pruneScope: 'layer' as const } : {}),
    ...(p.cluster > 0 ? { cluster: p.cluster, clusterInit: 'linear' as const } : {}),
    ...(p.pruneChannels > 0 ? { pruneChannels: p.pruneChannels, pruneNorm: 'l1' as const } : {}),
    ...(optimizing && p.finetune > 0 ? { finetune: p.finetune, data: p.data } : {}),
  });
  const o = r.report.optimization!;
  const tflite = path.join(out, 'model.tflite');
  const graph = readTflite(await readInput(tflite, { what: 'the emitted model', fix: 're-run the sweep' }), tflite);
  const { config } = (await findRunConfig(p.run))!;
  const f = deviceFigures(graph, config.features);
  return {
    rate: p.rate,
    round: p.round,
    prune: p.prune,
    cluster: p.cluster,
    pruneChannels: p.pruneChannels,
    aucInt8: o.auc!.optimized.int8,
    aucFloat: o.auc!.optimized.float,
    baselineAucInt8: o.auc!.original.int8,
    modelBytes: f.modelBytes,
    gzipBytes: o.compression.totals.flatbufferGzipBytes!,
    macs: f.macs,
    arenaBytes: f.arenaBytes,
    inferenceInstructions: f.inferenceInstructions,
    m4InstructionsPerSecond: Math.round(f.frontEndInstructionsPerSecond + f.inferenceInstructions * f.inferencesPerSecond),
  };
}
