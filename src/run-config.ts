import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fail } from './errors.js';
import type { FrontEndSpec } from './audio/fixed/index.js';
import type { PoolSpec } from './device/clip-score.js';
import { checkErrorModel, type ErrorModel } from './device/error-model.js';
export { ERROR_MODEL_FILE } from './device/error-model.js';
import { checkMemory } from './util/limits.js';

/**
 * `tinypdm.json`: what a training run hands to eval and emit, so the sketch's
 * front-end always computes exactly what the model was trained on.
 *
 * Model input contract: x = a·dB + b maps the training set's dB range onto
 * [0, 1], and the int8 input is fixed at scale 1/255, zero point −128 (so
 * [0, 1] covers the whole int8 range). The fixed-point front-end emits those
 * int8 values directly; training uses them dequantised, bit for bit.
 */
export const RUN_CONFIG_FILE = 'tinypdm.json';
export const RUN_CONFIG_VERSION = 1;

/** The input quantisation every tinypdm-trained model uses (see above). */
export const MODEL_INPUT_QUANT = { scale: 1 / 255, zeroPoint: -128 } as const;

export interface FeatureConfig {
  /** 'fixed': the bit-exact twin of the device front-end; 'float': the librosa-compatible reference (the paper). */
  mode: 'fixed' | 'float';
  /** Target sample rate the model sees (Hz). */
  sampleRate: number;
  /** Microphone rate the device captures at (16000 or 41667). */
  pdmRate: number;
  nFft: number;
  hop: number;
  nMels: number;
  fmin: number;
  fmax: number;
  /** librosa power_to_db top_db, applied per model window; null disables the clamp. */
  topDb: number | null;
  /** Model window: W frames, a new window every `windowHop` frames. */
  windowFrames: number;
  windowHop: number;
  /**
   * The paper's features (`train --paper`): each clip is one window, top_db is
   * clip-scoped and the frames are zero-padded on the left (in normalised
   * units) up to `windowFrames`, a multiple of 4. Absent for device features.
   */
  wholeClip?: boolean;
}

export interface Normalization {
  /** x = a·dB + b. */
  a: number;
  b: number;
  /** The training dB range the affine map was fitted to. */
  dbMin: number;
  dbMax: number;
  /**
   * Per-band normalisation (`train --norm band`): band m uses x = a[m]·dB + b[m]
   * instead, 0.5 + (dB − mean_m)/(2·span·std_m) over the training windows; the
   * front-end realises it with per-band integer tables. a and b above stay the
   * global fit, for reference.
   */
  bands?: { a: number[]; b: number[]; span: number };
}

/**
 * How the run turns reconstructions into the score eval reports and the device
 * thresholds (src/train/scoring, firmware/core/scorer.c). Absent: window MSE,
 * clip mean in eval, per-window threshold on the device.
 */
export interface ScoringConfig {
  /** 'mse' (the paper) or 'mahalanobis' (the reconstruction error's Mahalanobis-style distance). */
  window: 'mse' | 'mahalanobis';
  /** Error-model rank for 'mahalanobis' (0 = diagonal). */
  rank: number;
  /** How a clip's window scores become its score. */
  pool: PoolSpec;
  /** Windows a device pools into one clip score (the training clips' window count). */
  windowsPerClip: number;
  /** The error-model file in the run folder ('mahalanobis' only). */
  errorModel?: string;
}

export function describePool(p: PoolSpec): string {
  return p.method === 'percentile' ? `${(p.permille ?? 1000) / 10}th percentile` : p.method;
}

/** One line for reports and generated comments. */
export function describeScoring(s: Pick<ScoringConfig, 'window' | 'rank' | 'pool'>): string {
  const w = s.window === 'mse' ? 'window MSE between the input and its reconstruction' : `window Mahalanobis distance of the reconstruction error (${s.rank === 0 ? 'diagonal' : `rank ${s.rank}`})`;
  return `clip ${describePool(s.pool)} of the ${w}, normalised units`;
}

export interface RunConfig {
  tinypdm: typeof RUN_CONFIG_VERSION;
  features: FeatureConfig;
  normalization: Normalization;
  inputQuant: { scale: number; zeroPoint: number };
  /** Input tensor shape without batch: [nMels, windowFrames, 1]. */
  inputShape: [number, number, number];
  /** Anomaly threshold on the window score (MSE in the normalised [0, 1] units), and how it was chosen. */
  threshold: { value: number; method: string };
  seed: number;
  split: { train: string[]; val: string[]; test: string[] };
  history: { loss: number[]; valLoss: number[]; bestEpoch: number };
  training: Record<string, unknown>;
  /** Calibration inputs saved beside the model, [N, ...inputShape] float32. */
  calibration: string;
  scoring?: ScoringConfig;
}

/** The fixed-point front-end spec that realises a run's features on the device. */
export function frontEndSpecOf(run: Pick<RunConfig, 'features' | 'normalization' | 'inputQuant'>): FrontEndSpec {
  const f = run.features;
  return {
    targetRate: f.sampleRate,
    pdmRate: f.pdmRate,
    nFft: f.nFft,
    hop: f.hop,
    nMels: f.nMels,
    fmin: f.fmin,
    fmax: f.fmax,
    windowFrames: f.windowFrames,
    windowHop: f.windowHop,
    topDb: f.topDb,
    affine: {
      a: run.normalization.a, b: run.normalization.b, inputScale: run.inputQuant.scale, inputZeroPoint: run.inputQuant.zeroPoint,
      ...(run.normalization.bands ? { bands: { a: run.normalization.bands.a, b: run.normalization.bands.b } } : {}),
    },
  };
}

/** Reads `tinypdm.json` beside a model (or in a run folder); undefined when there is none. */
export async function findRunConfig(modelPath: string): Promise<{ config: RunConfig; dir: string } | undefined> {
  const dir = path.extname(modelPath) ? path.dirname(modelPath) : modelPath;
  const file = path.join(dir, RUN_CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  return { config: parseRunConfig(text, file), dir };
}

export function parseRunConfig(text: string, file: string): RunConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return fail('RUN_MISMATCH', `${file}: not valid JSON (${(e as Error).message}); re-run tinypdm train to rewrite it`, e);
  }
  const c = json as Partial<RunConfig>;
  if (c?.tinypdm !== RUN_CONFIG_VERSION) {
    fail('RUN_MISMATCH', `${file}: run config version ${String(c?.tinypdm)} is not ${RUN_CONFIG_VERSION}; re-run tinypdm train with this tinypdm`);
  }
  const f = c.features;
  const need: Array<[string, unknown]> = [
    ['features.sampleRate', f?.sampleRate],
    ['features.pdmRate', f?.pdmRate],
    ['features.nFft', f?.nFft],
    ['features.hop', f?.hop],
    ['features.nMels', f?.nMels],
    ['features.windowFrames', f?.windowFrames],
    ['features.windowHop', f?.windowHop],
    ['normalization.a', c.normalization?.a],
    ['normalization.b', c.normalization?.b],
    ['inputQuant.scale', c.inputQuant?.scale],
    ['threshold.value', c.threshold?.value],
  ];
  for (const [key, value] of need) {
    if (typeof value !== 'number' || !Number.isFinite(value)) fail('RUN_MISMATCH', `${file}: ${key} is missing or not a number; re-run tinypdm train`);
  }
  if (c.inputShape?.[0] !== f!.nMels || c.inputShape?.[1] !== f!.windowFrames) {
    fail('RUN_MISMATCH', `${file}: inputShape [${c.inputShape?.join(', ')}] does not match n_mels ${f!.nMels} × ${f!.windowFrames} frames; the run folder was edited or mixed up — re-run tinypdm train`);
  }
  if (c.scoring !== undefined) checkScoring(c.scoring, file);
  const bands = c.normalization!.bands;
  if (bands !== undefined) {
    const ok = (v: unknown) => Array.isArray(v) && v.length === f!.nMels && v.every((x) => typeof x === 'number' && Number.isFinite(x));
    (ok(bands?.a) && ok(bands?.b)) || fail('RUN_MISMATCH', `${file}: normalization.bands needs ${f!.nMels} finite a and b values (one per Mel band); re-run tinypdm train`);
  }
  return c as RunConfig;
}

function checkScoring(s: unknown, file: string): void {
  const v = s as Partial<ScoringConfig> | null;
  const pool = v?.pool;
  const ok = !!v && (v.window === 'mse' || v.window === 'mahalanobis') && Number.isInteger(v.rank) && v.rank! >= 0 &&
    Number.isInteger(v.windowsPerClip) && v.windowsPerClip! >= 1 && v.windowsPerClip! <= 65536 &&
    !!pool && (pool.method === 'mean' || pool.method === 'max' || (pool.method === 'percentile' && Number.isInteger(pool.permille) && pool.permille! >= 1 && pool.permille! <= 1000));
  ok || fail('RUN_MISMATCH', `${file}: scoring ${JSON.stringify(s)?.slice(0, 120)} is not {window: mse|mahalanobis, rank, pool: {method: mean|max|percentile, permille}, windowsPerClip}; re-run tinypdm train`);
}

/** The run's error model (`scoring.errorModel`), checked against the model's window size; undefined when the scoring needs none. */
export async function readErrorModel(dir: string, config: RunConfig): Promise<ErrorModel | undefined> {
  const s = config.scoring;
  if (!s || s.window !== 'mahalanobis') return undefined;
  const name = s.errorModel ?? '';
  (/^[A-Za-z0-9._-]+$/.test(name) && !name.startsWith('.')) || fail('RUN_MISMATCH', `${path.join(dir, RUN_CONFIG_FILE)}: scoring.errorModel ${JSON.stringify(name)} is not a file name in the run folder; re-run tinypdm train`);
  const file = path.join(dir, name);
  const size = await stat(file).then((st) => st.size, (e: NodeJS.ErrnoException) => fail('FILE_NOT_FOUND', `${file}: cannot read the run's error model (${e.code}); re-run tinypdm train --score ${s.window}:${s.rank}`, e));
  checkMemory(size, `${file} (error model)`);
  const text = await readFile(file, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return fail('RUN_MISMATCH', `${file}: not valid JSON (${(e as Error).message}); re-run tinypdm train`, e);
  }
  return checkErrorModel(json, file, config.inputShape.reduce((a, b) => a * b, 1));
}
