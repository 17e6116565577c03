import { fail } from '../../util/index.js';
import type { FeatureSpec, Normalization } from '../run-config.js';
import type { ClipDb } from './clip-db.js';
import { windowStarts } from './windows.js';

/**
 * Fits x = a·dB + b so the training windows' dB range — after each window's
 * own top_db clamp, exactly as the device clamps — maps onto [0, 1], which the
 * fixed int8 input quantisation (scale 1/255, zero point −128) covers. Fitted
 * on the training split only, so validation and test see the same map the
 * device will.
 */
export function fitNormalization(clips: readonly ClipDb[], f: FeatureSpec): Normalization {
  let lo = Infinity;
  let hi = -Infinity;
  for (const clip of clips) {
    const unit = clip.kind === 'q8' ? 1 / 256 : 1;
    for (const start of windowStarts(clip.nFrames, f)) {
      const width = f.wholeClip ? clip.nFrames : f.windowFrames;
      const { min, max } = clampedRange(clip, start, width, f.topDb === null ? null : clip.kind === 'q8' ? Math.round(f.topDb * 256) : f.topDb);
      lo = Math.min(lo, min * unit);
      hi = Math.max(hi, max * unit);
    }
  }
  Number.isFinite(lo) || fail('BAD_DATASET', `no training clip is long enough for one ${f.windowFrames}-frame window; use longer clips or lower --frames`);
  hi > lo || fail('BAD_DATASET', `every training window has the same level (${lo} dB): the training clips are silent or constant; check the recordings`);
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
