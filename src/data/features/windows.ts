import { fail } from '../../util/index.js';
import { buildFrontEndTables, windowsFromDbColumns, type FrontEndTables } from '../../audio/index.js';
import { quantizeValue } from '../../ops/index.js';
import { frontEndSpecOf, MODEL_INPUT_QUANT, type FeatureSpec, type Normalization } from '../run-config.js';
import type { ClipDb } from './clip-db.js';

/**
 * A clip's model inputs, [count, n_mels, W] row-major (NHWC with C = 1):
 * `q` is the int8 tensor the device feeds the model; `x` is what the float
 * model trains on. Fixed features: x = dequantised q, bit for bit what the
 * device's int8 input means. Float features: x = a·dB + b unrounded, and q is
 * its quantisation under MODEL_INPUT_QUANT.
 */
export interface ModelWindows {
  count: number;
  x: Float32Array;
  q: Int8Array;
}

/** First frame of each model window: every `windowHop` frames while a whole window fits; one per clip for whole-clip features. */
export function windowStarts(nFrames: number, f: FeatureSpec): number[] {
  if (f.wholeClip) return [0];
  const starts: number[] = [];
  for (let s = 0; s + f.windowFrames <= nFrames; s += f.windowHop) starts.push(s);
  return starts;
}

/** Builds the windowing for one run (the fixed front-end's tables carry the folded affine). */
export function createWindower(f: FeatureSpec, norm: Normalization): (clip: ClipDb, file: string) => ModelWindows {
  const tables =
    f.mode === 'fixed'
      ? buildFrontEndTables(frontEndSpecOf({ features: f, normalization: norm, inputQuant: MODEL_INPUT_QUANT }))
      : undefined;
  return (clip, file) => {
    clip.nMels === f.nMels ||
      fail('RUN_MISMATCH', `${file}: features have ${clip.nMels} Mel bands, the run expects ${f.nMels}; clear the feature cache`);
    if (clip.kind === 'q8') return fixedWindows(clip, tables!);
    return floatWindows(clip, f, norm, file);
  };
}

function fixedWindows(clip: Extract<ClipDb, { kind: 'q8' }>, tables: FrontEndTables): ModelWindows {
  const windows = windowsFromDbColumns(tables, clip.data, clip.nFrames);
  const size = clip.nMels * tables.spec.windowFrames;
  const q = new Int8Array(windows.length * size);
  windows.forEach((w, i) => q.set(w, i * size));
  return { count: windows.length, q, x: dequantize(q) };
}

function floatWindows(clip: Extract<ClipDb, { kind: 'float' }>, f: FeatureSpec, norm: Normalization, file: string): ModelWindows {
  const W = f.windowFrames;
  const width = f.wholeClip ? clip.nFrames : W;
  const pad = W - width; // whole clips: zero columns on the left, as the paper pads
  pad >= 0 ||
    fail(
      'BAD_DATASET',
      `${file}: ${clip.nFrames} frames, longer than the run's ${W}-frame whole-clip input; cut all clips to the same length`,
    );
  const starts = windowStarts(clip.nFrames, f);
  const size = clip.nMels * W;
  const x = new Float32Array(starts.length * size);
  starts.forEach((start, i) => {
    let max = -Infinity;
    for (let m = 0; m < clip.nMels; m++) for (let t = start; t < start + width; t++) max = Math.max(max, clip.data[m * clip.nFrames + t]!);
    const floor = f.topDb === null ? -Infinity : max - f.topDb;
    for (let m = 0; m < clip.nMels; m++) {
      for (let t = 0; t < width; t++) {
        const db = Math.max(clip.data[m * clip.nFrames + start + t]!, floor);
        x[i * size + m * W + pad + t] = norm.bands ? norm.bands.a[m]! * db + norm.bands.b[m]! : norm.a * db + norm.b;
      }
    }
  });
  const q = new Int8Array(x.length);
  for (let i = 0; i < x.length; i++) q[i] = quantizeValue(x[i]!, MODEL_INPUT_QUANT.scale, MODEL_INPUT_QUANT.zeroPoint);
  return { count: starts.length, x, q };
}

/** int8 → the float value it stands for, rounded to float32 as the device's anomaly score does. */
export function dequantize(q: Int8Array): Float32Array {
  const scale = Math.fround(MODEL_INPUT_QUANT.scale);
  const out = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) out[i] = scale * (q[i]! - MODEL_INPUT_QUANT.zeroPoint);
  return out;
}
