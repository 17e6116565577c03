import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { deviceAnomalyScore } from '../device/index.js';
import { fail } from '../util/index.js';
import { fileIOHandler, loadModel } from '../compiler/index.js';
import type { Graph } from '../ir/index.js';
import { floatWindowScores } from '../learn/index.js';
import { calibrate } from '../compiler/index.js';
import { quantizeInt8 } from '../compiler/index.js';
import { calibrationPathOf, findRunConfig, MODEL_INPUT_QUANT, RUN_CONFIG_FILE, type RunConfig } from '../data/index.js';
import { runGraph } from '../runtime/index.js';
import { writeOutputFolder } from '../util/index.js';
import { readNpy } from '../util/index.js';
import { initBackend } from '../learn/index.js';
import { defaultCacheDir, extractClips, listDataset, stackWindows, type StackedWindows } from '../data/index.js';
import { createWindower } from '../data/index.js';
import {
  detectLayout,
  readDataset,
  readRunDataset,
  requireLabels,
  runTestClips,
  testClipsOf,
  type DatasetOptions,
  type Domain,
} from '../data/index.js';
import { evalSections, renderSectionsMarkdown, type EvalSections } from './eval-sections.js';
import { partialAuc, partialAucMcClish, rocAuc, rocCurve, youdenThreshold, type OperatingPoint } from './metrics/index.js';
import { renderRocPlot } from './plot/index.js';
import { requestedScoring, scoreTestSet } from './scoring.js';

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
  /** The dataset the run was trained on: its test set is the run's (tinypdm.json). */
  data?: string;
  /** Instead of `data`: any other folder of labelled clips (any layout), read with `dataset`. */
  test?: string;
  /** How to read `test` (layout, machine, channel, labels); for `data` only `labels` applies, the rest is the run's. */
  dataset?: DatasetOptions;
  aggregate?: 'mean' | 'max';
  /** Window score (mse, mahalanobis[:K]) and clip pooling (mean, max, median, pNN) instead of the run's `scoring`. */
  score?: string;
  pool?: string;
  /** Output folder; default `<run>/eval`. Nothing is written when null. */
  out?: string | null;
  cacheDir?: string;
  log?: (line: string) => void;
  /** Stops the run between clips and stages: nothing is written, a previous output stays as it was. */
  signal?: AbortSignal;
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
  section?: string;
  domain?: Domain;
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
  /** Datasets read through a layout with sections or domains (DCASE, MIMII, ToyADMOS); absent for tinypdm's own. */
  dataset?: EvalDataset;
  /** Per domain, over all sections: the domain's normals vs every anomalous clip (as DCASE scores a domain). */
  perDomain?: Record<string, { float: Metrics; int8: Metrics }>;
  /** Per section, and the DCASE official score. */
  dcase?: EvalSections;
  clips: ClipScore[];
}

export interface EvalDataset {
  layout: string;
  machine?: string;
  /** Where the test set came from: the dataset's own test split, the run's seeded split, or every clip of `--test DIR`. */
  testSet: 'dataset split' | 'seeded split' | 'all clips' | 'test split of --test';
  folder?: string;
  sections: string[];
  domains: string[];
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
  const found = await findRunConfig(opts.run);
  found || fail('RUN_MISMATCH', `${opts.run}: no tinypdm.json; pass the folder tinypdm train wrote (--out)`);
  const { config, dir } = found!;
  if (opts.out === null) return scoreRun(opts, config, dir);
  const outDir = opts.out ?? path.join(opts.run, opts.test !== undefined ? `eval-${path.basename(path.resolve(opts.test))}` : 'eval');
  const clips = opts.test ?? opts.data;
  const inputs = [
    { what: 'the run folder', path: dir },
    { what: 'the run config', path: path.join(dir, RUN_CONFIG_FILE) },
    { what: 'the model', path: path.join(dir, 'model.json') },
    { what: 'the calibration file', path: path.join(dir, config.calibration) },
    clips === undefined ? undefined : { what: opts.test !== undefined ? 'the --test folder' : 'the dataset', path: clips },
    clips === undefined ? undefined : { what: 'the feature cache', path: opts.cacheDir ?? defaultCacheDir(clips) },
    ...(opts.dataset?.labels ?? []).map((l) => ({ what: 'the --labels ground truth', path: l })),
  ];
  const r = await writeOutputFolder(
    { dest: outDir, command: 'eval', inputs, ...(opts.signal ? { signal: opts.signal } : {}) },
    async (tmp) => {
      const scored = await scoreRun(opts, config, dir);
      await writeEvalFiles(tmp, scored.report);
      return scored;
    },
  );
  opts.log?.(
    `float AUC ${r.report.float.auc.toFixed(4)}, int8 AUC ${r.report.int8.auc.toFixed(4)}; wrote eval.json, eval.md, roc.svg, roc.png to ${outDir}`,
  );
  return { ...r, outDir };
}

async function scoreRun(opts: EvalOptions, config: RunConfig, dir: string): Promise<EvalResult> {
  const log = opts.log ?? (() => {});
  const signal = opts.signal;
  const aggregate = opts.aggregate ?? 'mean';
  await initBackend();
  const model = await tf.loadLayersModel(fileIOHandler(path.join(dir, 'model.json')));
  checkModelMatches(model, config, dir);

  (opts.data === undefined) !== (opts.test === undefined) ||
    fail('BAD_ARGUMENT', "eval needs --data DIR (the run's dataset) or --test DIR (another folder of labelled clips), not both");
  if (opts.data !== undefined) checkDataFlags(opts.dataset ?? {}, config, opts.data);
  const loadOpts = {
    ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}),
    log,
    ...(opts.dataset?.labels ? { labels: opts.dataset.labels } : {}),
    ...(signal ? { signal } : {}),
  };
  const set =
    opts.test !== undefined
      ? await loadOtherTestSet(config, opts.test, opts.dataset ?? {}, loadOpts)
      : await loadTestSet(config, opts.data!, loadOpts);
  const { clips, windows: w } = set;
  const scoring = requestedScoring(config, opts.score, opts.pool ?? (opts.aggregate === 'max' ? 'max' : undefined));
  let floatClip: number[];
  let int8Clip: number[];
  let floatSeconds: number;
  let int8Seconds: number;
  let int8Graph: Graph;
  let scoreText = `clip ${aggregate} of window MSE between the input and its reconstruction, normalised [0, 1] units; int8 as the device computes it (dequantised input and output, float32)`;
  if (scoring) {
    // The run's scoring (or --score/--pool): float and int8 window scores in one pass each, pooled per clip.
    int8Graph = await quantizedGraph(dir, config);
    signal?.throwIfAborted();
    const run = { config, dir, data: opts.data, ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}) };
    const s = await scoreTestSet(scoring, run, model, int8Graph, w, clips.length);
    model.dispose();
    ({
      float: floatClip,
      int8: int8Clip,
      describe: scoreText,
      seconds: { float: floatSeconds, int8: int8Seconds },
    } = s);
  } else {
    let t = performance.now();
    const floatScores = await floatWindowScores(model, w.x, w.count, config.inputShape);
    floatSeconds = (performance.now() - t) / 1000;
    model.dispose();
    signal?.throwIfAborted();
    int8Graph = await quantizedGraph(dir, config);
    signal?.throwIfAborted();
    t = performance.now();
    const int8Scores = int8WindowScores(int8Graph, w);
    int8Seconds = (performance.now() - t) / 1000;
    floatClip = clipScores({ clips, windows: w }, floatScores, aggregate, config.features.windowFrames);
    int8Clip = clipScores({ clips, windows: w }, int8Scores, aggregate, config.features.windowFrames);
  }
  log(
    `scored ${w.count} windows of ${clips.length} clips: float ${floatSeconds.toFixed(1)} s, int8 (reference interpreter) ${int8Seconds.toFixed(1)} s`,
  );

  const scores: ClipScore[] = clips.map((c, i) => ({ ...c, windows: windowsOf(w, i).length, float: floatClip[i]!, int8: int8Clip[i]! }));
  const types = [...new Set(scores.filter((s) => s.label === 1).map((s) => s.type))].sort();
  const report: EvalReport = {
    run: path.basename(path.resolve(opts.run)),
    aggregate,
    score: scoreText,
    float: metricsOf(scores, 'float'),
    int8: metricsOf(scores, 'int8'),
    perType: Object.fromEntries(
      (set.dataset && !set.typed ? [] : types).map((type) => {
        const subset = scores.filter((s) => s.label === 0 || s.type === type);
        return [type, { float: metricsOf(subset, 'float'), int8: metricsOf(subset, 'int8') }];
      }),
    ),
    ...(set.dataset ? datasetReport(set.dataset, scores) : {}),
    clips: scores,
  };
  return { report, int8Graph, seconds: { float: floatSeconds, int8: int8Seconds }, windows: w.count };
}

/** The clips eval scores: the run's test normals (its own split) and every anomaly clip, as model windows. */
export interface TestSet {
  clips: Array<{ file: string; type: string; label: 0 | 1; section?: string; domain?: Domain }>;
  windows: StackedWindows;
  /** Read through a dataset layout (DCASE, MIMII, ToyADMOS): what eval reports about it. Absent for tinypdm's own layout. */
  dataset?: EvalDataset;
  /** True when anomaly types are known (ToyADMOS' abNN); DCASE and MIMII name none. */
  typed?: boolean;
}

export interface LoadTestSetOptions {
  cacheDir?: string;
  log?: (line: string) => void;
  /** Ground truth for a run trained on an evaluation set without labels. */
  labels?: readonly string[];
  /** Checked between clips. */
  signal?: AbortSignal;
}

export async function loadTestSet(config: RunConfig, data: string, opts: LoadTestSetOptions = {}): Promise<TestSet> {
  if (config.dataset) {
    const d = readRunDataset(data, config, opts.labels);
    const clips = runTestClips(config.dataset, d, data);
    const testSet = config.dataset.split === 'dataset' ? 'dataset split' : 'seeded split';
    return windowTestSet(
      config,
      d.root,
      clips,
      { layout: d.layout, ...(d.machine ? { machine: d.machine } : {}), testSet },
      d.wavChannel,
      data,
      opts,
    );
  }
  const log = opts.log ?? (() => {});
  const dataset = listDataset(data);
  dataset.anomalies.length > 0 ||
    fail('BAD_DATASET', `${data}: no anomaly clips (anomaly/<type>/*.wav); eval needs anomalies to measure detection`);
  const known = new Set(dataset.normal);
  for (const f of config.split.test) {
    known.has(f) ||
      fail('RUN_MISMATCH', `${data}: the run's test clip ${f} is not in this dataset; evaluate on the dataset the run was trained on`);
  }
  const clips = [
    ...config.split.test.map((file) => ({ file, type: 'normal', label: 0 as const })),
    ...dataset.anomalies.map((a) => ({ file: a.file, type: a.type, label: 1 as const })),
  ];
  const db = await extractClips(
    data,
    clips.map((c) => c.file),
    config.features,
    {
      cacheDir: opts.cacheDir ?? defaultCacheDir(data),
      onProgress: (done, total) => {
        opts.signal?.throwIfAborted();
        if (done === total || done % 25 === 0) log(`features: ${done}/${total} clips`);
      },
    },
  );
  const windower = createWindower(config.features, config.normalization);
  const windows = stackWindows(db.map((c, i) => windower(c, clips[i]!.file)));
  db.forEach((c, i) => c.nFrames > 0 || fail('BAD_DATASET', `${clips[i]!.file}: empty clip`));
  return { clips, windows };
}

/** With --data the run's own way of reading its dataset applies: flags may only repeat it (or add labels to an evaluation set). */
function checkDataFlags(d: DatasetOptions, config: RunConfig, data: string): void {
  const run = config.dataset;
  const given: Array<[string, unknown, unknown]> = [
    ['--layout', d.layout === 'auto' ? undefined : d.layout, run?.layout ?? 'tinypdm'],
    ['--machine', d.machine, run?.machine],
    ['--channel', d.channel, run?.channel],
  ];
  for (const [flag, value, recorded] of given) {
    if (value !== undefined && value !== recorded) {
      fail(
        'BAD_ARGUMENT',
        `${data}: the run read its dataset with ${flag} ${shown(recorded)}, not ${shown(value)}; drop ${flag}, or use --test DIR to evaluate on another folder`,
      );
    }
  }
  if (d.labels?.length && !run)
    fail(
      'BAD_ARGUMENT',
      `${data}: --labels gives ground truth for DCASE evaluation sets; this run's dataset (tinypdm's layout) labels every clip — drop it`,
    );
}

/** `eval --test DIR`: every labelled clip of another folder (its test split where it defines one), in any layout. */
export async function loadOtherTestSet(
  config: RunConfig,
  dir: string,
  dataset: DatasetOptions,
  opts: LoadTestSetOptions = {},
): Promise<TestSet> {
  const layout = dataset.layout === undefined || dataset.layout === 'auto' ? detectLayout(dir) : dataset.layout;
  // The microphone defaults to the run's: a model trained on MIMII channel 3 is tested on channel 3.
  const channel = dataset.channel ?? (layout !== 'tinypdm' ? config.dataset?.channel : undefined);
  const d = readDataset(dir, { ...dataset, layout, ...(channel !== undefined ? { channel } : {}) });
  d.notes.forEach((n) => opts.log?.(n));
  const clips = testClipsOf(d);
  const info = {
    layout: d.layout,
    ...(d.machine ? { machine: d.machine } : {}),
    testSet: d.definesSplit ? ('test split of --test' as const) : ('all clips' as const),
    folder: path.basename(path.resolve(dir)),
  };
  return windowTestSet(config, d.root, clips, info, d.wavChannel, dir, opts);
}

/** A labelled test set through the run's features: checks labels and both classes, extracts and windows every clip. */
async function windowTestSet(
  config: RunConfig,
  root: string,
  recorded: ReturnType<typeof testClipsOf>,
  info: Omit<EvalDataset, 'sections' | 'domains'>,
  wavChannel: number | undefined,
  where: string,
  opts: LoadTestSetOptions,
): Promise<TestSet> {
  const log = opts.log ?? (() => {});
  requireLabels(recorded, where);
  recorded.some((c) => c.label === 'anomaly') ||
    fail('BAD_DATASET', `${where}: no anomalous clips in the test set; eval needs anomalies to measure detection`);
  recorded.some((c) => c.label === 'normal') ||
    fail('BAD_DATASET', `${where}: no normal clips in the test set; eval needs normal clips to measure false alarms`);
  const clips = recorded.map((c) => ({
    file: c.file,
    type: c.label === 'normal' ? 'normal' : (c.type ?? 'anomaly'),
    label: c.label === 'anomaly' ? (1 as const) : (0 as const),
    ...(c.section !== undefined ? { section: c.section } : {}),
    ...(c.domain !== undefined ? { domain: c.domain } : {}),
  }));
  const db = await extractClips(
    root,
    clips.map((c) => c.file),
    config.features,
    {
      cacheDir: opts.cacheDir ?? defaultCacheDir(where),
      ...(wavChannel !== undefined ? { channel: wavChannel } : {}),
      onProgress: (done, total) => (done === total || done % 25 === 0) && log(`features: ${done}/${total} clips`),
    },
  );
  const windower = createWindower(config.features, config.normalization);
  const windows = stackWindows(db.map((c, i) => windower(c, clips[i]!.file)));
  db.forEach((c, i) => c.nFrames > 0 || fail('BAD_DATASET', `${clips[i]!.file}: empty clip`));
  const sections = [...new Set(clips.flatMap((c) => (c.section !== undefined ? [c.section] : [])))].sort();
  const domains = (['source', 'target'] as const).filter((x) => clips.some((c) => c.domain === x));
  return {
    clips,
    windows,
    dataset: { ...info, sections, domains },
    typed: recorded.some((c) => c.label === 'anomaly' && c.type !== undefined),
  };
}

/** The DCASE-style part of the report: per domain (over sections), per section, and the official score. */
function datasetReport(dataset: EvalDataset, scores: readonly ClipScore[]): Pick<EvalReport, 'dataset' | 'perDomain' | 'dcase'> {
  const anomalies = scores.filter((s) => s.label === 1);
  const perDomain = Object.fromEntries(
    dataset.domains.flatMap((d) => {
      const subset = [...scores.filter((s) => s.label === 0 && s.domain === d), ...anomalies];
      return subset.some((s) => s.label === 0) ? [[d, { float: metricsOf(subset, 'float'), int8: metricsOf(subset, 'int8') }]] : [];
    }),
  );
  return { dataset, ...(dataset.domains.length ? { perDomain } : {}), dcase: evalSections(scores, PARTIAL_AUC_MAX_FPR) };
}

/** Clip scores (mean or max of each clip's window scores), in `set.clips` order. */
export function clipScores(set: TestSet, windowScores: Float64Array, aggregate: 'mean' | 'max', windowFrames: number): number[] {
  return set.clips.map((c, i) => {
    const idx = windowsOf(set.windows, i);
    idx.length > 0 ||
      fail('BAD_DATASET', `${c.file}: shorter than one ${windowFrames}-frame window; use clips as long as the training clips`);
    return pool(windowScores, idx, aggregate);
  });
}

/** ROC AUC of clip scores against the clips' labels (1 = anomalous). */
export function clipAuc(set: TestSet, scores: readonly number[]): number {
  return rocAuc(
    [...scores],
    set.clips.map((c) => c.label),
  );
}

/** The run's model quantised as emit does it: calibrated on calib.npy, input pinned to MODEL_INPUT_QUANT. */
export async function quantizedGraph(dir: string, config: RunConfig): Promise<Graph> {
  const { graph } = await loadModel(path.join(dir, 'model.json'));
  const calibFile = await calibrationPathOf({ config, dir });
  const calib = await readNpy(calibFile);
  return quantizeInt8(graph, {
    ranges: calibrate(graph, calib.data, calibFile),
    io: 'int8',
    inputQuant: config.inputQuant ?? MODEL_INPUT_QUANT,
  });
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
    fail(
      'RUN_MISMATCH',
      `${path.join(dir, 'model.json')}: the model takes [${s.slice(1).join(', ')}] but tinypdm.json says [${want.join(', ')}]; the run folder was mixed up — re-run tinypdm train`,
    );
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

async function writeEvalFiles(dir: string, report: EvalReport): Promise<void> {
  const curve = (which: 'float' | 'int8') => {
    const c = rocCurve(
      report.clips.map((s) => s[which]),
      report.clips.map((s) => s.label),
    );
    return { label: which, fpr: c.fpr, tpr: c.tpr, auc: report[which].auc };
  };
  const plot = await renderRocPlot([curve('float'), curve('int8')], `ROC: ${report.run}`);
  await writeFile(path.join(dir, 'eval.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(path.join(dir, 'eval.md'), renderEvalMarkdown(report));
  await writeFile(path.join(dir, 'roc.svg'), plot.svg);
  await writeFile(path.join(dir, 'roc.png'), plot.png);
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
    ...Object.entries(r.perDomain ?? {}).flatMap(([d, m]) => [
      row(`float, ${d} normals vs all anomalies`, m.float),
      row(`int8, ${d} normals vs all anomalies`, m.int8),
    ]),
    '',
    ...(r.dataset
      ? [
          `Dataset: ${r.dataset.layout}${r.dataset.machine ? `, machine ${r.dataset.machine}` : ''}${r.dataset.folder ? ` (${r.dataset.folder})` : ''}; test set: ${r.dataset.testSet}.`,
          '',
        ]
      : []),
    ...(r.dcase ? renderSectionsMarkdown(r.dcase) : []),
    '![ROC](roc.png)',
    '',
  ];
  return lines.join('\n');
}

/** A flag's value in a message: a string as it was typed, anything else as JSON. */
function shown(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}
