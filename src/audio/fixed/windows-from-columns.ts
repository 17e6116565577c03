import type { FrontEndTables } from './tables.js';
import { quantizeWindow } from './window-quant.js';

/**
 * The int8 model windows the streaming front-end would emit for a clip, from
 * its dB columns alone: window k covers columns [k·H, k·H + W), exactly as
 * createFrontEnd's onWindow (same ring layout, same quantizeWindow). Lets
 * training re-quantise cached columns under a new normalisation affine
 * without re-running the resampler and FFTs. `t` only contributes its window
 * geometry, top_db and affine constants.
 */
export function windowsFromDbColumns(t: FrontEndTables, dbColumnsQ8: Int16Array, nFrames: number): Int8Array[] {
  const nMels = t.spec.nMels;
  const W = t.spec.windowFrames;
  const H = t.spec.windowHop;
  const ring = new Int16Array(W * nMels);
  const windows: Int8Array[] = [];
  for (let start = 0; start + W <= nFrames; start += H) {
    for (let c = start; c < start + W; c++) {
      const slot = c % W;
      for (let m = 0; m < nMels; m++) ring[slot * nMels + m] = dbColumnsQ8[m * nFrames + c]!;
    }
    const out = new Int8Array(W * nMels);
    quantizeWindow(t, ring, start % W, out);
    windows.push(out);
  }
  return windows;
}
