import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fail } from '../../util/index.js';
import { checkOutputFile, NPY_FILE, writeNpy } from '../../util/index.js';
import {
  buildFrontEndTables,
  clipTopDb,
  readWav,
  splitWindows,
  validateMelConfig,
  type FeatureSpec,
  type MelResult,
} from '../../audio/index.js';
import { extractClip, type ClipDb } from './clip-db.js';

/**
 * The `tinypdm features` command as a function: WAV clips → dB columns
 * (extractClip, the same path training takes, in either mode) → top_db per
 * clip or per model window → one float32 .npy of shape [N, nMels, nFrames, 1]
 * (NHWC, the model's input before normalisation).
 */
export interface FeaturesOptions {
  /** Output .npy path. */
  out: string;
  spec: FeatureSpec;
  /**
   * Where the top_db floor (peak − topDb) is measured: 'clip', the whole
   * spectrogram, as the paper's training code; 'windows', each model window
   * of spec.windowFrames columns every spec.windowHop, as the device does.
   */
  scope: 'clip' | 'windows';
  /** Channel of multichannel files (default: the mix). */
  channel?: number | 'mix';
  onProgress?: (done: number, total: number, file: string) => void;
  /** Checked between clips: an abort stops the run before `out` is touched. */
  signal?: AbortSignal;
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
  const { spec } = opts;
  (Number.isInteger(spec.sampleRate) && spec.sampleRate > 0) ||
    fail('BAD_ARGUMENT', `--rate must be a positive integer number of Hz, got ${spec.sampleRate}`);
  if (spec.mode === 'float')
    validateMelConfig(spec); // before reading any clip
  else buildFrontEndTables({ ...spec, affine: { a: 1, b: 0, inputScale: 1, inputZeroPoint: 0 } }); // validates the fixed-point config
  const files = listWavFiles(inputs);
  // The .npy may not overwrite a clip it is made from (nor go where a folder is); checked before the work.
  const named = [...inputs.map((p) => ({ what: 'the input', path: p })), ...files.map((p) => ({ what: 'the clip', path: p }))];
  const output = { inputs: named, ...(opts.signal ? { signal: opts.signal } : {}) };
  await checkOutputFile({ dest: opts.out, replaces: NPY_FILE, ...output });

  const rows: Float32Array[] = [];
  const rowsPerFile: number[] = [];
  let frames: { nMels: number; nFrames: number; file: string } | undefined;
  for (const [i, file] of files.entries()) {
    opts.signal?.throwIfAborted();
    const windows = topDbRows(extractClip(spec, readWav(file, { channel: opts.channel ?? 'mix' }), file), spec, opts.scope);
    windows.length > 0 || fail('BAD_DATASET', `${file}: the clip is shorter than one model window; use longer clips or a smaller window`);
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
  await writeNpy(opts.out, shape, data, output);
  return { out: opts.out, shape, files, rowsPerFile };
}

/** A clip's dB columns in float dB, floored at top_db below the peak of the clip or of each window. */
function topDbRows(clip: ClipDb, spec: FeatureSpec, scope: 'clip' | 'windows'): MelResult[] {
  const db = Float64Array.from(clip.data, (v) => (clip.kind === 'q8' ? v / 256 : v));
  const whole: MelResult = { nMels: clip.nMels, nFrames: clip.nFrames, data: db };
  if (scope === 'clip') return [{ ...whole, data: clipTopDb(db, spec.topDb) }];
  return splitWindows(whole, { windowFrames: spec.windowFrames, hopFrames: spec.windowHop }).map((w) => ({
    ...w,
    data: clipTopDb(w.data, spec.topDb),
  }));
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
