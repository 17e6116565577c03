import { fail } from '../../util/index.js';
import type { FeatureSpec, Normalization } from '../run-config.js';
import type { ClipDb } from './clip-db.js';
import { windowStarts } from './windows.js';

/**
 * The features' normalisation fitted on the training clips: one affine for
 * `norm` 'global' (absent), per-band affines for 'band'.
 */
export function fitNormalization(clips: readonly ClipDb[], f: FeatureSpec): Normalization {
  return f.norm === 'band' ? fitBandNormalization(clips, f) : fitGlobalNormalization(clips, f);
}

/**
 * Fits x = a·dB + b so the training windows' dB range — after each window's
 * own top_db clamp, exactly as the device clamps — maps onto [0, 1], which the
 * fixed int8 input quantisation (scale 1/255, zero point −128) covers. Fitted
 * on the training split only, so validation and test see the same map the
 * device will.
 */
function fitGlobalNormalization(clips: readonly ClipDb[], f: FeatureSpec): Normalization {
  let lo = Infinity;
  let hi = -Infinity;
  for (const clip of clips) {
    const unit = clip.kind === 'q8' ? 1 / 256 : 1;
    for (const start of windowStarts(clip.nFrames, f)) {
      const width = f.wholeClip ? clip.nFrames : f.windowFrames;
      const { min, max } = clampedRange(
        clip,
        start,
        width,
        f.topDb === null ? null : clip.kind === 'q8' ? Math.round(f.topDb * 256) : f.topDb,
      );
      lo = Math.min(lo, min * unit);
      hi = Math.max(hi, max * unit);
    }
  }
  Number.isFinite(lo) ||
    fail('BAD_DATASET', `no training clip is long enough for one ${f.windowFrames}-frame window; use longer clips or lower --frames`);
  hi > lo ||
    fail(
      'BAD_DATASET',
      `every training window has the same level (${lo} dB): the training clips are silent or constant; check the recordings`,
    );
  const a = 1 / (hi - lo);
  return { a, b: -lo * a, dbMin: lo, dbMax: hi };
}

/** Min and max of the window's values after the top_db clamp (the clamp raises only the min). */
function clampedRange(clip: ClipDb, start: number, width: number, topDb: number | null): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let m = 0; m < clip.nMels; m++) {
    const row = m * clip.nFrames;
    for (let t = start; t < start + width; t++) {
      const v = clip.data[row + t]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return { min: topDb === null ? min : Math.max(min, max - topDb), max };
}

/** Normalised units covered by ±span standard deviations around each band's mean: [0.5 − 1/2, 0.5 + 1/2]. */
const BAND_SPAN = 4;
/** A band's spread is taken as at least this many dB, so a near-constant band is not blown up. */
const MIN_BAND_STD_DB = 1;

/**
 * Per-band normalisation: each Mel band's mean and standard deviation over the
 * training windows (after each window's top_db clamp, as the device clamps),
 * mapped to x = 0.5 + (dB − mean)/(2·span·std), so ±span standard deviations
 * fill the int8 input's [0, 1] and a band that barely moves in normal sound is
 * not drowned by the loud ones. The global fit is kept beside it.
 */
function fitBandNormalization(clips: readonly ClipDb[], f: FeatureSpec, span = BAND_SPAN): Normalization {
  const global = fitGlobalNormalization(clips, f);
  const nMels = f.nMels;
  const sum = new Float64Array(nMels);
  const sq = new Float64Array(nMels);
  let n = 0;
  for (const clip of clips) {
    const unit = clip.kind === 'q8' ? 1 / 256 : 1;
    const topDb = f.topDb === null ? null : clip.kind === 'q8' ? Math.round(f.topDb * 256) : f.topDb;
    for (const start of windowStarts(clip.nFrames, f)) {
      const width = f.wholeClip ? clip.nFrames : f.windowFrames;
      const { min } = clampedRange(clip, start, width, topDb);
      for (let m = 0; m < nMels; m++) {
        const row = m * clip.nFrames;
        for (let t = start; t < start + width; t++) {
          const v = Math.max(clip.data[row + t]!, min) * unit;
          sum[m]! += v;
          sq[m]! += v * v;
        }
      }
      n += width;
    }
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let m = 0; m < nMels; m++) {
    const mean = sum[m]! / n;
    const std = Math.max(MIN_BAND_STD_DB, Math.sqrt(Math.max(0, sq[m]! / n - mean * mean)));
    a.push(1 / (2 * span * std));
    b.push(0.5 - mean / (2 * span * std));
  }
  return { ...global, bands: { a, b, span } };
}
