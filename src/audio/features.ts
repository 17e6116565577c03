import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fail } from '../errors.js';
import { aboutFile } from '../util/about-file.js';
import { writeNpy } from '../util/npy.js';
import { melSpectrogramDb, validateMelConfig, type MelConfig, type MelResult, type TopDbScope } from './mel-float/index.js';
import { resampleFloat } from './resample-float.js';
import { readWav, readWavInt16 } from './wav.js';

/**
 * The `tinypdm features` command as a function: WAV clips → resample → log-Mel
 * → one float32 .npy of shape [N, nMels, nFrames, 1] (NHWC, the model's input).
 *
 * 'float' mode is the librosa 0.9 reference (resampy kaiser_best + float64
 * Mel). A 'fixed' mode plugs in the device front-end's TS twin through
 * `fixedExtractor`: it gets the clip's int16 samples at the file's own rate (as
 * the microphone would deliver them) and does its own resampling.
 */

/** Log-Mel of one clip: one spectrogram, or one per model window. */
export type ClipFeatures = MelResult | MelResult[];
export type FixedExtractor = (int16Samples: Int16Array, sampleRate: number) => ClipFeatures;

export interface FeaturesOptions {
  /** Output .npy path. */
  out: string;
  /** Target sample rate in Hz. */
  rate: number;
  nFft: number;
  hop: number;
  nMels: number;
  /** Default 0 Hz. */
  fmin?: number;
  /** Default rate / 2. */
  fmax?: number;
  /** Default 80 dB. */
  topDb?: number;
  mode?: 'float' | 'fixed';
  /** Where the top_db floor is measured in float mode (default 'clip', as the paper). */
  scope?: TopDbScope;
  /** Channel of multichannel files (default: the mix). */
  channel?: number | 'mix';
  /** Required for mode 'fixed'. */
  fixedExtractor?: FixedExtractor;
  onProgress?: (done: number, total: number, file: string) => void;
}

export interface FeaturesResult {
  out: string;
  /** [N, nMels, nFrames, 1]. */
  shape: [number, number, number, 1];
  /** Input clips in the order used (sorted). */
  files: string[];
  /** Rows of the .npy that each clip produced (1 per clip, or its window count). */
  rowsPerFile: number[];
}

export async function computeFeatures(inputs: string[], opts: FeaturesOptions): Promise<FeaturesResult> {
  const mode = opts.mode ?? 'float';
  const cfg: MelConfig = {
    sampleRate: opts.rate,
    nFft: opts.nFft,
    hop: opts.hop,
    nMels: opts.nMels,
    fmin: opts.fmin ?? 0,
    fmax: opts.fmax ?? opts.rate / 2,
    topDb: opts.topDb ?? 80,
  };
  (Number.isInteger(opts.rate) && opts.rate > 0) || fail('BAD_ARGUMENT', `--rate must be a positive integer number of Hz, got ${opts.rate}`);
  if (mode === 'fixed' && !opts.fixedExtractor)
    fail('BAD_ARGUMENT', `--mode fixed needs the fixed-point front-end, which this build does not provide; use --mode float`);
  if (mode === 'float') validateMelConfig(cfg); // before reading any clip
  const files = listWavFiles(inputs);
  const extract = mode === 'fixed' ? fixedClip(opts.fixedExtractor!, opts) : floatClip(cfg, opts);

  const rows: Float32Array[] = [];
  const rowsPerFile: number[] = [];
  let frames: { nMels: number; nFrames: number; file: string } | undefined;
  for (const [i, file] of files.entries()) {
    const clip = aboutFile(file, () => extract(file));
    const windows = Array.isArray(clip) ? clip : [clip];
    windows.length > 0 ||
      fail('BAD_DATASET', `${file}: the clip is shorter than one model window; use longer clips or a smaller window`);
    for (const w of windows) {
      frames ??= { nMels: w.nMels, nFrames: w.nFrames, file };
      (w.nMels === frames.nMels && w.nFrames === frames.nFrames) ||
        fail(
          'BAD_DATASET',
          `${file}: gives ${w.nMels}x${w.nFrames} (mels x frames) but ${frames.file} gave ${frames.nMels}x${frames.nFrames}; cut all clips to the same length`,
        );
      rows.push(Float32Array.from(w.data));
    }
    rowsPerFile.push(windows.length);
    opts.onProgress?.(i + 1, files.length, file);
  }
  const { nMels, nFrames } = frames!;
  const data = new Float32Array(rows.length * nMels * nFrames);
  rows.forEach((r, i) => data.set(r, i * r.length));
  const shape: [number, number, number, 1] = [rows.length, nMels, nFrames, 1];
  await writeNpy(opts.out, shape, data);
  return { out: opts.out, shape, files, rowsPerFile };
}

function floatClip(cfg: MelConfig, opts: FeaturesOptions): (file: string) => ClipFeatures {
  return (file) => {
    const wav = readWav(file, { channel: opts.channel ?? 'mix' });
    checkRate(file, wav.sampleRate, cfg.sampleRate);
    const y = resampleFloat(wav.samples, wav.sampleRate, cfg.sampleRate);
    return melSpectrogramDb(y, cfg, opts.scope ?? 'clip');
  };
}

function fixedClip(extractor: FixedExtractor, opts: FeaturesOptions): (file: string) => ClipFeatures {
  return (file) => {
    const wav = readWavInt16(file, { channel: opts.channel ?? 'mix' });
    checkRate(file, wav.sampleRate, opts.rate);
    return extractor(wav.samples, wav.sampleRate);
  };
}

function checkRate(file: string, fileRate: number, target: number): void {
  fileRate >= target ||
    fail('BAD_RATE', `${file}: sampled at ${fileRate} Hz, below --rate ${target}: the data holds up to ${fileRate} Hz; choose --rate ≤ ${fileRate}`);
}

/**
 * WAV files named directly or found (recursively) in directories, sorted by
 * path in code-unit order so the .npy row order never depends on the file
 * system or the locale.
 */
export function listWavFiles(inputs: string[]): string[] {
  inputs.length > 0 || fail('BAD_ARGUMENT', 'no input: name WAV files or directories holding them');
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      // Symlinks and other non-folders too: the reader follows a link to a WAV and refuses a device or FIFO by name.
      else if (/\.wav$/i.test(entry.name)) found.add(full);
    }
  };
  for (const input of inputs) {
    let isDir: boolean;
    try {
      isDir = statSync(input).isDirectory();
    } catch (e) {
      return fail('FILE_NOT_FOUND', `${input}: no such file or directory; check the path`, e);
    }
    if (isDir) walk(input);
    else found.add(path.normalize(input));
  }
  found.size > 0 || fail('BAD_DATASET', `no .wav files in ${inputs.join(', ')}; point at WAV files or a directory of them`);
  return [...found].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
