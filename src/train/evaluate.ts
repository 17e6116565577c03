import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { deviceAnomalyScore } from '../device/anomaly-score.js';
import { fail } from '../errors.js';
import { fileIOHandler, loadModel, type Graph } from '../model/index.js';
import { calibrate } from '../optimize/calibrate.js';
import { quantizeInt8 } from '../optimize/quantize-int8.js';
import { calibrationPathOf, findRunConfig, MODEL_INPUT_QUANT, type RunConfig } from '../run-config.js';
import { runGraph } from '../runtime/index.js';
import { writeAtomically } from '../util/atomic.js';
import { readNpy } from '../util/npy.js';
import { initBackend } from './backend.js';
import { defaultCacheDir, extractClips, listDataset, stackWindows, type StackedWindows } from './dataset.js';
import { createWindower } from './features/index.js';
import { partialAuc, partialAucMcClish, rocAuc, rocCurve, youdenThreshold, type OperatingPoint } from './metrics/index.js';
import { renderRocPlot } from './plot/index.js';

/**
 * `tinypdm eval`: the run's test normals (its own split) and every anomaly
 * clip → windows exactly as in training → window score = MSE between input
 * and reconstruction in normalised units → clip score (mean or max over its
 * windows) → ROC AUC, pAUC at FPR 0.1, Youden-J point; float model (TF.js)
 * and int8 model (our bit-exact TFLM interpreter, scored as the device does)
 * side by side, overall and per anomaly type.
 */
export interface EvalOptions {
  run: string;
  data: string;
  aggregate?: 'mean' | 'max';
  /** Output folder; default `<run>/eval`. Nothing is written when null. */
  out?: string | null;
  cacheDir?: string;
  log?: (line: string) => void;
}

export const PARTIAL_AUC_MAX_FPR = 0.1;

export interface Metrics {
  clips: { normal: number; anomaly: number };
  auc: number;
  /** DCASE/MLPerf Tiny raw pAUC: area up to FPR 0.1 divided by 0.1. */
  partialAuc: number;
  /** sklearn's McClish-standardised pAUC (0.5 = chance). */
  partialAucMcClish: number;
  youden: OperatingPoint;
}

export interface ClipScore {
  file: string;
  type: string;
  label: 0 | 1;
  windows: number;
  float: number;
  int8: number;
}

export interface EvalReport {
  run: string;
  aggregate: 'mean' | 'max';
  score: string;
  float: Metrics;
  int8: Metrics;
  perType: Record<string, { float: Metrics; int8: Metrics }>;
  clips: ClipScore[];
}

export interface EvalResult {
  report: EvalReport;
  outDir?: string;
  /** The int8 graph that was evaluated (for size, MACs and arena figures). */
  int8Graph: Graph;
  /** Host inference time, seconds, for all test windows. */
  seconds: { float: number; int8: number };
  windows: number;
}

export async function evaluate(opts: EvalOptions): Promise<EvalResult> {
  const log = opts.log ?? (() => {});
  const aggregate = opts.aggregate ?? 'mean';
  const found = await findRunConfig(opts.run);
  found || fail('RUN_MISMATCH', `${opts.run}: no tinypdm.json; pass the folder tinypdm train wrote (--out)`);
  const { config, dir } = found!;
  await initBackend();
  const model = await tf.loadLayersModel(fileIOHandler(path.join(dir, 'model.json')));
  checkModelMatches(model, config, dir);

  const { clips, windows: w } = await loadTestSet(config, opts.data, { ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}), log });
  let t = performance.now();
  const floatScores = await floatWindowScores(model, w.x, w.count, config.inputShape);
  const floatSeconds = (performance.now() - t) / 1000;
  model.dispose();
  const int8Graph = await quantizedGraph(dir, config);
  t = performance.now();
  const int8Scores = int8WindowScores(int8Graph, w);
  const int8Seconds = (performance.now() - t) / 1000;
  log(`scored ${w.count} windows of ${clips.length} clips: float ${floatSeconds.toFixed(1)} s, int8 (reference interpreter) ${int8Seconds.toFixed(1)} s`);

  const floatClip = clipScores({ clips, windows: w }, floatScores, aggregate, config.features.windowFrames);
  const int8Clip = clipScores({ clips, windows: w }, int8Scores, aggregate, config.features.windowFrames);
  const scores: ClipScore[] = clips.map((c, i) => ({ ...c, windows: windowsOf(w, i).length, float: floatClip[i]!, int8: int8Clip[i]! }));
  const types = [...new Set(scores.filter((s) => s.label === 1).map((s) => s.type))].sort();
  const report: EvalReport = {
    run: path.basename(path.resolve(opts.run)),
    aggregate,
    score: `clip ${aggregate} of window MSE between the input and its reconstruction, normalised [0, 1] units; int8 as the device computes it (dequantised input and output, float32)`,
    float: metricsOf(scores, 'float'),
    int8: metricsOf(scores, 'int8'),
    perType: Object.fromEntries(types.map((type) => {
      const subset = scores.filter((s) => s.label === 0 || s.type === type);
      return [type, { float: metricsOf(subset, 'float'), int8: metricsOf(subset, 'int8') }];
    })),
    clips: scores,
  };
  let outDir: string | undefined;
  if (opts.out !== null) {
    outDir = opts.out ?? path.join(opts.run, 'eval');
    await writeEvalFiles(outDir, report);
    log(`float AUC ${report.float.auc.toFixed(4)}, int8 AUC ${report.int8.auc.toFixed(4)}; wrote eval.json, eval.md, roc.svg, roc.png to ${outDir}`);
  }
  return { report, ...(outDir ? { outDir } : {}), int8Graph, seconds: { float: floatSeconds, int8: int8Seconds }, windows: w.count };
}

/** The clips eval scores: the run's test normals (its own split) and every anomaly clip, as model windows. */
export interface TestSet {
  clips: Array<{ file: string; type: string; label: 0 | 1 }>;
  windows: StackedWindows;
}

export async function loadTestSet(config: RunConfig, data: string, opts: { cacheDir?: string; log?: (line: string) => void } = {}): Promise<TestSet> {
  const log = opts.log ?? (() => {});
  const dataset = listDataset(data);
  dataset.anomalies.length > 0 || fail('BAD_DATASET', `${data}: no anomaly clips (anomaly/<type>/*.wav); eval needs anomalies to measure detection`);
  const known = new Set(dataset.normal);
  for (const f of config.split.test) {
    known.has(f) || fail('RUN_MISMATCH', `${data}: the run's test clip ${f} is not in this dataset; evaluate on the dataset the run was trained on`);
  }
  const clips = [
    ...config.split.test.map((file) => ({ file, type: 'normal', label: 0 as const })),
    ...dataset.anomalies.map((a) => ({ file: a.file, type: a.type, label: 1 as const })),
  ];
  const db = await extractClips(data, clips.map((c) => c.file), config.features, {
    cacheDir: opts.cacheDir ?? defaultCacheDir(data),
    onProgress: (done, total) => (done === total || done % 25 === 0) && log(`features: ${done}/${total} clips`),
  });
  const windower = createWindower(config.features, config.normalization);
  const windows = stackWindows(db.map((c, i) => windower(c, clips[i]!.file)));
  db.forEach((c, i) => c.nFrames > 0 || fail('BAD_DATASET', `${clips[i]!.file}: empty clip`));
  return { clips, windows };
}

/** Clip scores (mean or max of each clip's window scores), in `set.clips` order. */
export function clipScores(set: TestSet, windowScores: Float64Array, aggregate: 'mean' | 'max', windowFrames: number): number[] {
  return set.clips.map((c, i) => {
    const idx = windowsOf(set.windows, i);
    idx.length > 0 || fail('BAD_DATASET', `${c.file}: shorter than one ${windowFrames}-frame window; use clips as long as the training clips`);
    return pool(windowScores, idx, aggregate);
  });
}

/** ROC AUC of clip scores against the clips' labels (1 = anomalous). */
export function clipAuc(set: TestSet, scores: readonly number[]): number {
  return rocAuc([...scores], set.clips.map((c) => c.label));
}

/** Per-window MSE of the float model's reconstruction, in batches. */
export async function floatWindowScores(model: tf.LayersModel, x: Float32Array, count: number, shape: readonly number[], batchSize = 64): Promise<Float64Array> {
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(count);
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    const mse = tf.tidy(() => {
      const batch = tf.tensor4d(x.subarray(start * size, (start + n) * size), [n, shape[0]!, shape[1]!, shape[2]!]);
      return tf.mean(tf.squaredDifference(model.predict(batch) as tf.Tensor, batch), [1, 2, 3]);
    });
    out.set(await mse.data(), start);
    mse.dispose();
  }
  return out;
}

/** The run's model quantised as emit does it: calibrated on calib.npy, input pinned to MODEL_INPUT_QUANT. */
export async function quantizedGraph(dir: string, config: RunConfig): Promise<Graph> {
  const { graph } = await loadModel(path.join(dir, 'model.json'));
  const calibFile = await calibrationPathOf({ config, dir });
  const calib = await readNpy(calibFile);
  return quantizeInt8(graph, { ranges: calibrate(graph, calib.data, calibFile), io: 'int8', inputQuant: config.inputQuant ?? MODEL_INPUT_QUANT });
}

/** Window scores of the int8 model: the device's int8 input, our TFLM-exact interpreter, the device's float32 MSE. */
export function int8WindowScores(graph: Graph, w: Pick<StackedWindows, 'count' | 'q'>): Float64Array {
  const input = graph.tensors[graph.inputs[0]!]!;
  const output = graph.tensors[graph.outputs[0]!]!;
  const inQ = { scale: input.quant!.scale[0]!, zeroPoint: input.quant!.zeroPoint[0]! };
  const outQ = { scale: output.quant!.scale[0]!, zeroPoint: output.quant!.zeroPoint[0]! };
  const size = w.q.length / Math.max(1, w.count);
  const out = new Float64Array(w.count);
  for (let i = 0; i < w.count; i++) {
    const q = w.q.subarray(i * size, (i + 1) * size);
    const y = runGraph(graph, [q]).outputs[0] as Int8Array;
    out[i] = deviceAnomalyScore(q, inQ, y, outQ);
  }
  return out;
}

function checkModelMatches(model: tf.LayersModel, config: RunConfig, dir: string): void {
  const s = model.inputs[0]?.shape ?? [];
  const want = config.inputShape;
  if (s[1] !== want[0] || s[2] !== want[1] || s[3] !== want[2]) {
    fail('RUN_MISMATCH', `${path.join(dir, 'model.json')}: the model takes [${s.slice(1).join(', ')}] but tinypdm.json says [${want.join(', ')}]; the run folder was mixed up — re-run tinypdm train`);
  }
}

function windowsOf(w: StackedWindows, clip: number): number[] {
  const idx: number[] = [];
  for (let i = 0; i < w.count; i++) if (w.clipOf[i] === clip) idx.push(i);
  return idx;
}

function pool(scores: Float64Array, idx: number[], how: 'mean' | 'max'): number {
  if (how === 'max') return Math.max(...idx.map((i) => scores[i]!));
  return idx.reduce((s, i) => s + scores[i]!, 0) / idx.length;
}

function metricsOf(scores: readonly ClipScore[], which: 'float' | 'int8'): Metrics {
  const s = scores.map((c) => c[which]);
  const labels = scores.map((c) => c.label);
  return {
    clips: { normal: labels.filter((l) => l === 0).length, anomaly: labels.filter((l) => l === 1).length },
    auc: rocAuc(s, labels),
    partialAuc: partialAuc(s, labels, PARTIAL_AUC_MAX_FPR),
    partialAucMcClish: partialAucMcClish(s, labels, PARTIAL_AUC_MAX_FPR),
    youden: youdenThreshold(s, labels),
  };
}

async function writeEvalFiles(outDir: string, report: EvalReport): Promise<void> {
  const curve = (which: 'float' | 'int8') => {
    const c = rocCurve(report.clips.map((s) => s[which]), report.clips.map((s) => s.label));
    return { label: which, fpr: c.fpr, tpr: c.tpr, auc: report[which].auc };
  };
  const plot = await renderRocPlot([curve('float'), curve('int8')], `ROC: ${report.run}`);
  await writeAtomically(outDir, async (tmp) => {
    await writeFile(path.join(tmp, 'eval.json'), `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(path.join(tmp, 'eval.md'), renderEvalMarkdown(report));
    await writeFile(path.join(tmp, 'roc.svg'), plot.svg);
    await writeFile(path.join(tmp, 'roc.png'), plot.png);
  });
}

export function renderEvalMarkdown(r: EvalReport): string {
  const f = (x: number) => x.toFixed(4);
  const row = (name: string, m: Metrics) =>
    `| ${name} | ${m.clips.normal} / ${m.clips.anomaly} | ${f(m.auc)} | ${f(m.partialAuc)} | ${f(m.partialAucMcClish)} | ${m.youden.threshold.toPrecision(4)} | ${f(m.youden.precision)} | ${f(m.youden.recall)} |`;
  const lines = [
    `# Evaluation of ${r.run}`,
    '',
    `Score: ${r.score}. pAUC at FPR ≤ ${PARTIAL_AUC_MAX_FPR} (raw, as DCASE / MLPerf Tiny; McClish as sklearn). Threshold, precision and recall at Youden's J.`,
    '',
    '| model / anomaly type | normal / anomalous clips | AUC | pAUC | pAUC McClish | Youden threshold | precision | recall |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    row('float, all', r.float),
    row('int8, all', r.int8),
    ...Object.entries(r.perType).flatMap(([type, m]) => [row(`float, ${type}`, m.float), row(`int8, ${type}`, m.int8)]),
    '',
    '![ROC](roc.png)',
    '',
  ];
  return lines.join('\n');
}
