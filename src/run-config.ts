import path from 'node:path';
import { fail } from './errors.js';
import type { FrontEndSpec } from './audio/fixed/index.js';
import { confinedPath, confinedRealPath, plainRelativePath } from './util/confine.js';
import { isMissingInput, readInputText } from './util/read-input.js';

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
    affine: { a: run.normalization.a, b: run.normalization.b, inputScale: run.inputQuant.scale, inputZeroPoint: run.inputQuant.zeroPoint },
  };
}

/** Reads `tinypdm.json` beside a model (or in a run folder); undefined when there is none. */
export async function findRunConfig(modelPath: string): Promise<{ config: RunConfig; dir: string } | undefined> {
  const dir = path.extname(modelPath) ? path.dirname(modelPath) : modelPath;
  const file = path.join(dir, RUN_CONFIG_FILE);
  // Only a missing file means "no run config"; one that cannot be read (a FIFO, a device, no permission) is an error naming it.
  const text = await readRunConfigText(file).catch((e: unknown) => (isMissingInput(e) ? undefined : Promise.reject(e)));
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
    fail('RUN_MISMATCH', `${file}: inputShape [${c.inputShape?.join(', ')}] does not match n_mels ${f!.nMels} × ${f!.windowFrames} frames; the run folder was edited or mixed up — re-run tinypdm train`);
  }
  return c as RunConfig;
}
