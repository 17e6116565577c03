import path from 'node:path';
import { fail } from '../util/index.js';
import type { FeatureSpec, FrontEndSpec } from '../audio/index.js';
import { confinedPath, confinedRealPath, plainRelativePath, readInputText, undefinedIfMissing } from '../util/index.js';

export type { FeatureSpec };

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

export interface Normalization {
  /** x = a·dB + b. */
  a: number;
  b: number;
  /** The training dB range the affine map was fitted to. */
  dbMin: number;
  dbMax: number;
  /**
   * Per-band normalisation (features.norm 'band'): band m uses x = a[m]·dB + b[m]
   * instead, 0.5 + (dB − mean_m)/(2·span·std_m) over the training windows; the
   * front-end realises it with per-band integer tables. a and b above stay the
   * global fit, for reference.
   */
  bands?: { a: number[]; b: number[]; span: number };
}

/**
 * How the run turns reconstructions into the score eval reports and the device
 * thresholds (src/learn/scoring, firmware/core/scorer.c). Absent: window MSE,
 * clip mean in eval, per-window threshold on the device.
 */
export interface ScoringConfig {
  /** 'mse' (the paper) or 'mahalanobis' (the reconstruction error's Mahalanobis-style distance). */
  window: 'mse' | 'mahalanobis';
  /** Error-model rank for 'mahalanobis' (0 = diagonal). */
  rank: number;
  /** How a clip's window scores become its score (the shape of src/device's PoolSpec; permille for 'percentile'). */
  pool: { method: 'mean' | 'max' | 'percentile'; permille?: number };
  /** Windows a device pools into one clip score (the training clips' window count). */
  windowsPerClip: number;
  /** The error-model file in the run folder ('mahalanobis' only). */
  errorModel?: string;
}

/** The error model's file in a run folder (src/learn/scoring writes and reads it). */
export const ERROR_MODEL_FILE = 'error-model.json';

export function describePool(p: ScoringConfig['pool']): string {
  return p.method === 'percentile' ? `${(p.permille ?? 1000) / 10}th percentile` : p.method;
}

/** One line for reports and generated comments. */
export function describeScoring(s: Pick<ScoringConfig, 'window' | 'rank' | 'pool'>): string {
  const w =
    s.window === 'mse'
      ? 'window MSE between the input and its reconstruction'
      : `window Mahalanobis distance of the reconstruction error (${s.rank === 0 ? 'diagonal' : `rank ${s.rank}`})`;
  return `clip ${describePool(s.pool)} of the ${w}, normalised units`;
}

export interface RunConfig {
  tinypdm: typeof RUN_CONFIG_VERSION;
  features: FeatureSpec;
  normalization: Normalization;
  inputQuant: { scale: number; zeroPoint: number };
  /** Input tensor shape without batch: [nMels, windowFrames, 1]. */
  inputShape: [number, number, number];
  /** Anomaly threshold on the window score (MSE in the normalised [0, 1] units), and how it was chosen. */
  threshold: { value: number; method: string };
  seed: number;
  /** Normal clips: training, validation (the threshold's) and test. */
  split: { train: string[]; val: string[]; test: string[] };
  /**
   * The dataset as train read it, for every layout but tinypdm's own (whose
   * runs have no such field, as before): eval, emit --eval-data and emit's
   * fine-tuning re-read the same folder the same way and score exactly this
   * test set.
   */
  dataset?: RunDataset;
  history: { loss: number[]; valLoss: number[]; bestEpoch: number };
  training: Record<string, unknown>;
  /** Calibration inputs saved beside the model, [N, ...inputShape] float32. */
  calibration: string;
  scoring?: ScoringConfig;
}

export interface RunDataset {
  layout: 'dcase' | 'mimii' | 'toyadmos';
  machine?: string;
  /** The microphone chosen (`--channel`). */
  channel?: number;
  /** The channel the WAV reader took from each file (MIMII's multi-channel files); absent = the mix. */
  wavChannel?: number;
  /** 'dataset': the dataset's own train/test split; 'seeded': tinypdm's seeded split of the normals (the layout defines none). */
  split: 'dataset' | 'seeded';
  sections: string[];
  domains: Array<'source' | 'target'>;
  /** The whole test set; label 'unknown' = an evaluation-set clip whose ground truth was not given at training time. */
  test: RunTestClip[];
}

export interface RunTestClip {
  file: string;
  label: 'normal' | 'anomaly' | 'unknown';
  type?: string;
  section?: string;
  domain?: 'source' | 'target';
}

/** The fixed-point front-end spec that realises a run's features on the device. */
export function frontEndSpecOf(run: Pick<RunConfig, 'features' | 'normalization' | 'inputQuant'>): FrontEndSpec {
  const { mode: _mode, wholeClip: _wholeClip, norm: _norm, ...signal } = run.features;
  const n = run.normalization;
  return {
    ...signal,
    affine: {
      a: n.a,
      b: n.b,
      inputScale: run.inputQuant.scale,
      inputZeroPoint: run.inputQuant.zeroPoint,
      ...(n.bands ? { bands: { a: n.bands.a, b: n.bands.b } } : {}),
    },
  };
}

/** Reads `tinypdm.json` beside a model (or in a run folder); undefined when there is none. */
export async function findRunConfig(modelPath: string): Promise<{ config: RunConfig; dir: string } | undefined> {
  const dir = path.extname(modelPath) ? path.dirname(modelPath) : modelPath;
  const file = path.join(dir, RUN_CONFIG_FILE);
  // Only a missing file means "no run config"; one that cannot be read (a FIFO, a device, no permission) is an error naming it.
  const text = await readRunConfigText(file).catch(undefinedIfMissing);
  return text === undefined ? undefined : { config: parseRunConfig(text, file), dir };
}

/** The text of a tinypdm.json (bounded like every input); `label` names it in messages, e.g. `--run-config x.json`. */
export function readRunConfigText(file: string, label?: string): Promise<string> {
  return readInputText(file, { what: 'a tinypdm.json', fix: 'pass the tinypdm.json of the training run', ...(label ? { label } : {}) });
}

const CONFINE_FIX = 're-run tinypdm train to rewrite it';

/**
 * The run's calibration file: `calibration` resolved against the run folder,
 * refused when it leaves it (also through a symlink), since tinypdm.json may
 * come with a model from someone else.
 */
export function calibrationPathOf(run: { config: RunConfig; dir: string }, file = path.join(run.dir, RUN_CONFIG_FILE)): Promise<string> {
  return confinedRealPath(run.dir, run.config.calibration, `${file}: "calibration"`, CONFINE_FIX);
}

/** Reads a tinypdm.json the user named with `flag` (e.g. --run-config). */
export async function readRunConfig(file: string, flag: string): Promise<RunConfig> {
  return parseRunConfig(await readRunConfigText(file, `${flag} ${file}`), file);
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
    fail(
      'RUN_MISMATCH',
      `${file}: run config version ${String(c?.tinypdm)} is not ${RUN_CONFIG_VERSION}; re-run tinypdm train with this tinypdm`,
    );
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
    if (typeof value !== 'number' || !Number.isFinite(value))
      fail('RUN_MISMATCH', `${file}: ${key} is missing or not a number; re-run tinypdm train`);
  }
  // Paths in the file: the calibration file stays in the run folder; split entries are clips of the dataset
  // (normal/<name>.wav, matched against its listing before use), so they must be plain relative paths.
  confinedPath(path.dirname(file), c.calibration, `${file}: "calibration"`, CONFINE_FIX);
  const split = c.split as Record<string, unknown> | undefined;
  for (const key of ['train', 'val', 'test'] as const) {
    const list = split?.[key];
    if (!Array.isArray(list)) return fail('RUN_MISMATCH', `${file}: split.${key} is missing or not a list of clips; re-run tinypdm train`);
    for (const [i, entry] of list.entries()) {
      const fix = 'split entries are clips relative to the dataset folder, e.g. normal/normal_0001.wav; re-run tinypdm train';
      plainRelativePath(entry, `${file}: split.${key}[${i}]`, fix);
    }
  }
  if (c.inputShape?.[0] !== f!.nMels || c.inputShape?.[1] !== f!.windowFrames) {
    fail(
      'RUN_MISMATCH',
      `${file}: inputShape [${c.inputShape?.join(', ')}] does not match n_mels ${f!.nMels} × ${f!.windowFrames} frames; the run folder was edited or mixed up — re-run tinypdm train`,
    );
  }
  if (c.dataset !== undefined) checkRunDataset(c.dataset, file);
  if (c.scoring !== undefined) checkScoring(c.scoring, file);
  const bands = c.normalization!.bands;
  if ((f!.norm === 'band') !== (bands !== undefined)) {
    fail(
      'RUN_MISMATCH',
      `${file}: features.norm is ${JSON.stringify(f!.norm ?? 'global')} but normalization ${bands ? 'has' : 'has no'} per-band values; the run folder was edited or mixed up — re-run tinypdm train`,
    );
  }
  if (bands !== undefined) {
    const ok = (v: unknown) => Array.isArray(v) && v.length === f!.nMels && v.every((x) => typeof x === 'number' && Number.isFinite(x));
    (ok(bands?.a) && ok(bands?.b)) ||
      fail('RUN_MISMATCH', `${file}: normalization.bands needs ${f!.nMels} finite a and b values (one per Mel band); re-run tinypdm train`);
  }
  return c as RunConfig;
}

/** `dataset` is optional (runs on tinypdm's own layout and older runs have none); when present it must be whole. */
function checkRunDataset(d: RunDataset, file: string): void {
  const bad = (what: string): never =>
    fail('RUN_MISMATCH', `${file}: dataset.${what}; the run folder was edited or mixed up — re-run tinypdm train`);
  if (!['dcase', 'mimii', 'toyadmos'].includes(d?.layout)) bad(`layout is ${JSON.stringify(d?.layout)}, not dcase, mimii or toyadmos`);
  if (d.split !== 'dataset' && d.split !== 'seeded') bad(`split is ${JSON.stringify(d.split)}, not "dataset" or "seeded"`);
  for (const key of ['channel', 'wavChannel'] as const) {
    if (d[key] !== undefined && !(Number.isInteger(d[key]) && d[key] >= 0)) bad(`${key} is ${JSON.stringify(d[key])}, not a channel index`);
  }
  if (!Array.isArray(d.test) || !Array.isArray(d.sections) || !Array.isArray(d.domains)) bad('test, sections and domains must be lists');
  for (const [i, t] of d.test.entries()) {
    if (typeof t?.file !== 'string' || !['normal', 'anomaly', 'unknown'].includes(t.label))
      bad(`test[${i}] needs a file and a label normal, anomaly or unknown`);
    if (t.domain !== undefined && t.domain !== 'source' && t.domain !== 'target') bad(`test[${i}].domain is ${JSON.stringify(t.domain)}`);
  }
}

function checkScoring(s: unknown, file: string): void {
  const v = s as Partial<ScoringConfig> | null;
  const pool = v?.pool;
  const ok =
    !!v &&
    (v.window === 'mse' || v.window === 'mahalanobis') &&
    Number.isInteger(v.rank) &&
    v.rank! >= 0 &&
    Number.isInteger(v.windowsPerClip) &&
    v.windowsPerClip! >= 1 &&
    v.windowsPerClip! <= 65536 &&
    !!pool &&
    (pool.method === 'mean' ||
      pool.method === 'max' ||
      (pool.method === 'percentile' && Number.isInteger(pool.permille) && pool.permille! >= 1 && pool.permille! <= 1000));
  ok ||
    fail(
      'RUN_MISMATCH',
      `${file}: scoring ${JSON.stringify(s)?.slice(0, 120)} is not {window: mse|mahalanobis, rank, pool: {method: mean|max|percentile, permille}, windowsPerClip}; re-run tinypdm train`,
    );
}
