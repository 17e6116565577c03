import type { FrontEndTables } from './tables.js';

/**
 * A completed model window → int8 input tensor [n_mels, W, 1], the twin of
 * tp_window.c. Window-scoped top_db clamp (each dB ≥ window max − top_db, as
 * power_to_db clamps over the array it is given), then the folded affine +
 * quantisation q = clamp(((mult·dB + add) >> shift) + zp, −128, 127), with
 * band m's own mult and add under per-band normalisation.
 * ring holds W columns of n_mels dB (Q8); oldestSlot is the window's frame 0.
 */
export function quantizeWindow(t: FrontEndTables, ring: Int16Array, oldestSlot: number, out: Int8Array): void {
  const nMels = t.spec.nMels;
  const W = t.spec.windowFrames;
  let max = -32768;
  for (let i = 0; i < W * nMels; i++) if (ring[i]! > max) max = ring[i]!;
  const floor = t.topDbQ8 < 0 ? -32768 : max - t.topDbQ8;
  const { zeroPoint, bandMult, bandAdd } = t;
  const div = 2 ** t.affineShift;
  for (let f = 0; f < W; f++) {
    const slot = (oldestSlot + f) % W;
    for (let m = 0; m < nMels; m++) {
      let d = ring[slot * nMels + m]!;
      if (d < floor) d = floor;
      const mult = bandMult ? bandMult[m]! : t.affineMult;
      const add = bandAdd ? bandAdd[m]! : t.affineAdd;
      let q = Math.floor((mult * d + add) / div) + zeroPoint;
      if (q < -128) q = -128;
      else if (q > 127) q = 127;
      out[m * W + f] = q;
    }
  }
}
