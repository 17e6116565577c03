import { writeFile } from 'node:fs/promises';
import path from 'node:path';

import type * as tf from '@tensorflow/tfjs';
import { fail } from '../util/index.js';
import { readWav } from '../audio/index.js';
import { saveLayersModel } from './save-model.js';
import { findRunConfig, MODEL_INPUT_QUANT, RUN_CONFIG_FILE, RUN_CONFIG_VERSION, type FeatureSpec, type RunConfig } from '../data/index.js';
import { writeOutputFolder } from '../util/index.js';
import { encodeNpy, readInputText } from '../util/index.js';
import { hasAugmentation, windowSlopes } from './augment.js';
import { BUILTIN_ARCHITECTURES, builtinArchitecture, modelFromLayerList } from './architectures.js';
import { initBackend } from './backend.js';
import { trainingBatchSize } from './batch-memory.js';
import { defaultCacheDir, extractClips, planSplit, readDataset, runDatasetOf, stackWindows, type DatasetOptions } from '../data/index.js';
import { floatWindowScores } from './score.js';
import { createWindower, fitNormalization, resolveFeatureConfig, wholeClipFrames, type FeatureOverrides } from '../data/index.js';
import { fitAutoencoder, seedInitialWeights, type FitProgress, type FitStep } from './fit.js';
import { createRng } from '../util/index.js';
import { percentileThreshold } from './threshold.js';
import { describePool, describeScoring, ERROR_MODEL_FILE } from '../data/index.js';
import { fitScoring, parsePool, parseWindowScore } from './scoring/index.js';

/**
 * `tinypdm train`: dataset → features (the device front-end's twin) → split →
 * normalisation fitted on train → windows → paper autoencoder → fit →
 * threshold on validation → run folder (TF.js model, tinypdm.json, calib.npy).
 */
export interface TrainOptions extends FeatureOverrides {
  data: string;
  /** How to read `data`: layout (default auto-detected), machine, channel, ground-truth labels. */
  dataset?: DatasetOptions;
  rate: number;
  out: string;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  patience?: number;
  seed?: number;
  /** A built-in architecture name (BUILTIN_ARCHITECTURES: 'paper', 'frame-stack') or a JSON layer-list file (see modelFromLayerList); default 'paper'. */
  arch?: string;
  cacheDir?: string;
  /**
   * Frames between training windows (default: the run's window hop). A larger
   * hop trains on fewer, less overlapping windows, so epochs on long clips get
   * cheaper; validation, threshold and the device keep the run's hop.
   */
  trainWindowHop?: number;
  /** Gain augmentation: windows shifted by up to ± this many dB (0 = off). */
  augmentGainDb?: number;
  /** Noise augmentation: Gaussian noise of this std on the normalised input (0 = off). */
  augmentNoise?: number;
  /**
   * Knowledge distillation: the run folder of a trained teacher on the same data
   * and features, and how to read its model.json (the caller passes the
   * compiler's bounded TF.js reader; model files are read above this floor).
   */
  teacher?: { run: string; loadModel: (modelJson: string) => Promise<tf.LayersModel> };
  /** Weight of the teacher term in the loss, in [0, 1] (default 0.5 with a teacher). */
  distill?: number;
  /** Window score (`--score`): mse, mahalanobis or mahalanobis:K; with `pool`, writes the run's `scoring` (default: none, the legacy MSE). */
  score?: string;
  /** Clip pooling (`--pool`): mean, max, median or pNN. */
  pool?: string;
  /** Calibration windows saved for `emit --calib` (a seeded sample of training windows). */
  calibrationWindows?: number;
  log?: (line: string) => void;
  /** After every epoch; without it, each epoch is a line through `log`. */
  onEpoch?: (p: FitProgress) => void;
  /** After every optimiser step (the CLI draws a progress bar from it). */
  onStep?: (s: FitStep) => void;
  /** Stops the run between clips and batches: nothing is written, a previous run folder stays as it was. */
  signal?: AbortSignal;
}

import { TRAIN_DEFAULTS } from '../defaults.js';
export const CALIBRATION_FILE = 'calib.npy';
export const THRESHOLD_PERCENTILE = 99;

export interface TrainResult {
  outDir: string;
  config: RunConfig;
  backend: string;
  windows: { train: number; val: number };
  seconds: { features: number; fit: number };
}

export async function train(opts: TrainOptions): Promise<TrainResult> {
  const cacheDir = opts.cacheDir ?? defaultCacheDir(opts.data);
  const inputs = [
    { what: 'the dataset', path: opts.data },
    opts.arch !== undefined && !builtinArchitecture(opts.arch) ? { what: 'the --arch file', path: opts.arch } : undefined,
    opts.teacher ? { what: 'the --teacher run', path: opts.teacher.run } : undefined,
    { what: 'the feature cache', path: cacheDir },
  ];
  const signal = opts.signal;
  // The destination is checked (and locked) before the features and the fit, not after them.
  const r = await writeOutputFolder({ dest: opts.out, command: 'train', inputs, ...(signal ? { signal } : {}) }, (dir) =>
    trainInto(dir, opts, cacheDir),
  );
  const t = r.config.threshold;
  opts.log?.(`wrote model.json, ${RUN_CONFIG_FILE}, ${CALIBRATION_FILE} to ${opts.out}; threshold ${t.value.toPrecision(4)} (${t.method})`);
  return r;
}

async function trainInto(dir: string, opts: TrainOptions, cacheDir: string): Promise<TrainResult> {
  const log = opts.log ?? (() => {});
  const signal = opts.signal;
  const o: { epochs: number; batchSize: number; learningRate: number; patience: number; seed: number; calibrationWindows: number } = {
    ...TRAIN_DEFAULTS,
    ...definedOnly(opts),
  };
  const wanted =
    opts.score !== undefined || opts.pool !== undefined
      ? { ...parseWindowScore(opts.score ?? 'mse'), pool: parsePool(opts.pool ?? 'mean') }
      : undefined;
  const builtin = builtinArchitecture(opts.arch);
  const archJson = opts.arch && !builtin ? await readArch(opts.arch) : undefined;
  const dataset = readDataset(opts.data, opts.dataset);
  dataset.notes.forEach((n) => log(n));
  const normals = dataset.clips.filter((c) => c.label === 'normal').map((c) => c.file);
  const root = dataset.root;
  // Clips are all the same length (the front-end's windows need it); the first sets the automatic hop.
  const clipSeconds = readWav(path.join(root, normals[0]!)).durationSec;
  const { features: base, notes } = resolveFeatureConfig(opts.rate, {
    ...builtin?.featureDefaults(opts.rate),
    ...definedOnly(opts),
    clipSeconds,
  });
  notes.forEach((n) => log(n));
  const backend = await initBackend();
  log(`backend: ${backend.note}`);

  const plan = planSplit(dataset, o.seed);
  const split = { train: plan.train, val: plan.val, test: plan.test };
  (split.train.length > 0 && split.val.length > 0) ||
    fail(
      'BAD_DATASET',
      `${opts.data}: ${normals.length} normal clip(s) cannot be split 60/20/20 into non-empty train and validation sets; add normal clips (at least 3)`,
    );
  const runDataset = runDatasetOf(dataset, plan);
  if (runDataset) log(describeSplit(runDataset, split));
  const t0 = performance.now();
  const progress = (done: number, total: number) => {
    signal?.throwIfAborted();
    if (done === total || done % 25 === 0) log(`features: ${done}/${total} clips`);
  };
  const channel = dataset.wavChannel !== undefined ? { channel: dataset.wavChannel } : {};
  const trainDb = await extractClips(root, split.train, base, { cacheDir, onProgress: progress, ...channel });
  const valDb = await extractClips(root, split.val, base, { cacheDir, onProgress: () => signal?.throwIfAborted(), ...channel });
  const features: FeatureSpec = base.wholeClip
    ? { ...base, windowFrames: wholeClipFrames(trainDb[0]!.nFrames), windowHop: wholeClipFrames(trainDb[0]!.nFrames) }
    : base;
  const normalization = fitNormalization(trainDb, features);
  const windower = createWindower(features, normalization);
  const trainHop = opts.trainWindowHop ?? features.windowHop;
  (Number.isInteger(trainHop) && trainHop >= 1) ||
    fail('BAD_ARGUMENT', `--train-window-hop ${opts.trainWindowHop} must be a positive integer number of frames`);
  const trainWindower = trainHop === features.windowHop ? windower : createWindower({ ...features, windowHop: trainHop }, normalization);
  const trainW = stackWindows(trainDb.map((c, i) => trainWindower(c, split.train[i]!)));
  const valW = stackWindows(valDb.map((c, i) => windower(c, split.val[i]!)));
  (trainW.count > 0 && valW.count > 0) ||
    fail(
      'BAD_DATASET',
      `${opts.data}: clips give no whole ${features.windowFrames}-frame window at ${opts.rate} Hz (hop ${features.hop}); use longer clips or lower --frames`,
    );
  const featureSeconds = (performance.now() - t0) / 1000;
  log(
    `features (${features.mode}): ${features.nMels} Mel × ${features.windowFrames} frames, n_fft ${features.nFft}, hop ${features.hop}; ${trainW.count} train / ${valW.count} val windows from ${split.train.length}/${split.val.length} clips; dB range [${normalization.dbMin.toFixed(2)}, ${normalization.dbMax.toFixed(2)}] → [0, 1]${normalization.bands ? ` (per band: mean ± ${normalization.bands.span} std → [0, 1])` : ''} (${featureSeconds.toFixed(1)} s)`,
  );

  const inputShape: [number, number, number] = [features.nMels, features.windowFrames, 1];
  const teacher = opts.teacher ? await loadTeacher(opts.teacher, features, normalization, inputShape) : undefined;
  const bandSlopes = normalization.bands?.a ?? new Array<number>(features.nMels).fill(normalization.a);
  const augment = {
    gainDb: Math.abs(opts.augmentGainDb ?? 0),
    slopes: windowSlopes(bandSlopes, features.windowFrames),
    noise: opts.augmentNoise ?? 0,
  };
  (Number.isFinite(augment.gainDb) && augment.noise >= 0 && Number.isFinite(augment.noise)) ||
    fail(
      'BAD_ARGUMENT',
      `--augment-gain ${opts.augmentGainDb} / --augment-noise ${opts.augmentNoise} must be numbers ≥ 0 (dB; normalised units, try 0.02)`,
    );
  const model =
    archJson !== undefined
      ? modelFromLayerList(archJson as unknown[], inputShape, o.seed)
      : (builtin ?? BUILTIN_ARCHITECTURES['paper']!).build(inputShape, o.seed);
  seedInitialWeights(model, o.seed);
  const sized = trainingBatchSize(model, o.batchSize, opts.batchSize !== undefined, backend.name, opts.data);
  if (sized.note) log(sized.note);
  o.batchSize = sized.batchSize;
  const t1 = performance.now();
  const fit = await fitAutoencoder(
    model,
    { train: trainW.x, val: valW.x, shape: inputShape },
    {
      epochs: o.epochs,
      batchSize: o.batchSize,
      learningRate: o.learningRate,
      patience: o.patience,
      seed: o.seed,
      ...(hasAugmentation(augment) ? { augment } : {}),
      ...(teacher ? { teacher: { model: teacher, weight: opts.distill ?? DEFAULT_DISTILL_WEIGHT } } : {}),
      ...(opts.onStep ? { onStep: opts.onStep } : {}),
      onProgress: (p) =>
        opts.onEpoch
          ? opts.onEpoch(p)
          : log(`epoch ${p.epoch}/${p.epochs}: loss ${p.loss.toPrecision(4)}, val ${p.valLoss.toPrecision(4)}`),
      ...(signal ? { signal } : {}),
    },
  );
  const fitSeconds = (performance.now() - t1) / 1000;
  log(
    `trained ${fit.history.loss.length} epoch(s) in ${fitSeconds.toFixed(1)} s; best epoch ${fit.bestEpoch + 1}${fit.stoppedEarly ? ' (stopped early)' : ''}`,
  );

  const fitted = wanted ? await fitScoring(model, inputShape, trainW, valW, { ...wanted, seed: o.seed }) : undefined;
  if (fitted)
    log(
      `scoring: ${describeScoring(fitted.scoring)}${fitted.errorModel ? ` (error model from ${fitted.errorModel.windows} training windows)` : ''}`,
    );
  const threshold = fitted
    ? percentileThreshold(
        fitted.valClipScores,
        THRESHOLD_PERCENTILE,
        `clip scores (${describePool(fitted.scoring.pool)} of ${fitted.scoring.windowsPerClip} windows)`,
      )
    : percentileThreshold(await floatWindowScores(model, valW.x, valW.count, inputShape), THRESHOLD_PERCENTILE);
  const calib = sampleWindows(trainW.x, trainW.count, inputShape, o.calibrationWindows, o.seed);
  const config: RunConfig = {
    tinypdm: RUN_CONFIG_VERSION,
    features,
    normalization,
    inputQuant: { ...MODEL_INPUT_QUANT },
    inputShape,
    threshold,
    seed: o.seed,
    split,
    ...(runDataset ? { dataset: runDataset } : {}),
    history: { loss: fit.history.loss, valLoss: fit.history.valLoss, bestEpoch: fit.bestEpoch },
    training: {
      architecture:
        archJson !== undefined ? path.basename(opts.arch!) : builtin && builtin.name !== 'paper' ? builtin.name : 'paper-autoencoder',
      epochs: o.epochs,
      batchSize: o.batchSize,
      learningRate: o.learningRate,
      patience: o.patience,
      stoppedEarly: fit.stoppedEarly,
      trainWindows: trainW.count,
      valWindows: valW.count,
      ...(trainHop !== features.windowHop ? { trainWindowHop: trainHop } : {}),
      ...(hasAugmentation(augment) ? { augment: { gainDb: augment.gainDb, noise: augment.noise } } : {}),
      ...(opts.teacher
        ? { teacher: { run: path.basename(path.resolve(opts.teacher.run)), weight: opts.distill ?? DEFAULT_DISTILL_WEIGHT } }
        : {}),
    },
    calibration: CALIBRATION_FILE,
    ...(fitted ? { scoring: fitted.scoring } : {}),
  };
  await saveLayersModel(model, dir);
  await writeFile(path.join(dir, RUN_CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`);
  await writeFile(path.join(dir, CALIBRATION_FILE), encodeNpy([calib.count, ...inputShape], calib.data));
  if (fitted?.errorModel) await writeFile(path.join(dir, ERROR_MODEL_FILE), `${JSON.stringify(fitted.errorModel)}\n`);
  model.dispose();
  teacher?.dispose();
  return {
    outDir: opts.out,
    config,
    backend: backend.name,
    windows: { train: trainW.count, val: valW.count },
    seconds: { features: featureSeconds, fit: fitSeconds },
  };
}

export const DEFAULT_DISTILL_WEIGHT = 0.5;

/** A teacher run's model, which must see exactly the student's inputs (features incl. normalisation, shape). */
async function loadTeacher(
  teacher: NonNullable<TrainOptions['teacher']>,
  features: FeatureSpec,
  norm: RunConfig['normalization'],
  shape: [number, number, number],
): Promise<tf.LayersModel> {
  const dir = teacher.run;
  const found = await findRunConfig(dir);
  found || fail('RUN_MISMATCH', `--teacher ${dir}: no tinypdm.json; pass the folder tinypdm train wrote for the teacher`);
  const t = found!.config;
  const same = JSON.stringify(t.features) === JSON.stringify(features) && JSON.stringify(t.normalization) === JSON.stringify(norm);
  same ||
    fail(
      'RUN_MISMATCH',
      `--teacher ${dir}: trained on other features or another normalisation (${JSON.stringify(t.features)}, a=${t.normalization.a}) than this run (${JSON.stringify(features)}, a=${norm.a}); train the teacher on the same data, split and feature flags`,
    );
  const model = await teacher.loadModel(path.join(found!.dir, 'model.json'));
  const s = model.inputs[0]?.shape ?? [];
  (s[1] === shape[0] && s[2] === shape[1] && s[3] === shape[2]) ||
    fail('RUN_MISMATCH', `--teacher ${dir}: its model takes [${s.slice(1).join(', ')}], the student [${shape.join(', ')}]`);
  return model;
}

/** One log line: where the split came from and what the test set holds. */
function describeSplit(d: NonNullable<RunConfig['dataset']>, split: RunConfig['split']): string {
  const count = (label: string) => d.test.filter((c) => c.label === label).length;
  const unknown = count('unknown');
  return [
    `dataset: ${d.layout}${d.machine ? ` (machine ${d.machine})` : ''}`,
    d.split === 'dataset'
      ? `its own split: ${split.train.length} train / ${split.val.length} validation normals from its training clips`
      : `seeded split: ${split.train.length} train / ${split.val.length} validation normals`,
    `${d.test.length} test clips (${count('normal')} normal, ${count('anomaly')} anomalous${unknown ? `, ${unknown} unlabelled: pass --labels to eval` : ''})`,
    ...(d.sections.length ? [`sections ${d.sections.join(', ')}`] : []),
    ...(d.domains.length ? [`domains ${d.domains.join(', ')}`] : []),
  ].join('; ');
}

/** A bounded, seeded sample of training windows (in training order when all fit). */
function sampleWindows(
  x: Float32Array,
  count: number,
  shape: readonly number[],
  max: number,
  seed: number,
): { count: number; data: Float32Array } {
  const size = shape.reduce((a, b) => a * b, 1);
  const all = Array.from({ length: count }, (_, i) => i);
  const pick =
    count <= max
      ? all
      : createRng(seed)
          .derive('calibration')
          .shuffled(all)
          .slice(0, max)
          .sort((a, b) => a - b);
  const data = new Float32Array(pick.length * size);
  pick.forEach((w, i) => data.set(x.subarray(w * size, (w + 1) * size), i * size));
  return { count: pick.length, data };
}

async function readArch(file: string): Promise<unknown> {
  const text = await readInputText(file, { what: 'a JSON layer list', fix: 'pass a JSON layer list file', label: `--arch ${file}` });
  try {
    return JSON.parse(text);
  } catch (e) {
    return fail(
      'BAD_ARGUMENT',
      `--arch ${file}: not valid JSON (${(e as Error).message}); pass a list like [{"type":"conv2d","filters":8}]`,
      e,
    );
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
