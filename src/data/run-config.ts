import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fail } from '../util/index.js';
import type { FeatureSpec, FrontEndSpec } from '../audio/index.js';

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
  split: { train: string[]; val: string[]; test: string[] };
  history: { loss: number[]; valLoss: number[]; bestEpoch: number };
  training: Record<string, unknown>;
  /** Calibration inputs saved beside the model, [N, ...inputShape] float32. */
  calibration: string;
}

/** The fixed-point front-end spec that realises a run's features on the device. */
export function frontEndSpecOf(run: Pick<RunConfig, 'features' | 'normalization' | 'inputQuant'>): FrontEndSpec {
  const { mode: _mode, wholeClip: _wholeClip, ...signal } = run.features;
  return { ...signal, affine: { a: run.normalization.a, b: run.normalization.b, inputScale: run.inputQuant.scale, inputZeroPoint: run.inputQuant.zeroPoint } };
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

/** Reads a tinypdm.json the user named with `flag` (e.g. --run-config). */
export async function readRunConfig(file: string, flag: string): Promise<RunConfig> {
  const text = await readFile(file, 'utf8').catch((e) => fail('FILE_NOT_FOUND', `${flag} ${file}: cannot read it (${(e as Error).message}); pass the tinypdm.json of the training run`, e));
  return parseRunConfig(text, file);
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
  return c as RunConfig;
}
