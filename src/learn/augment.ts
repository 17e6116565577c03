import type { Rng } from '../util/index.js';

/**
 * Training-time augmentation of normalised model windows, per batch from the
 * seeded PRNG (so a run replays):
 *  - gain: each window gets a gain G ~ U(−gainDb, +gainDb) dB, both input
 *    and target. A microphone gain change of G dB moves every front-end dB
 *    value, and with it the window's top_db floor, by G, so in normalised
 *    units element i shifts by slope_i·G (slope_i = the dB slope a of its
 *    band: one value, or per band under per-band normalisation); values are
 *    clamped to [0, 1] as the int8 input is. Teaches the model that loudness
 *    alone is not an anomaly.
 *  - noise: Gaussian noise of this standard deviation on the input only (the
 *    target stays clean): a denoising autoencoder, which learns the normal
 *    structure rather than the identity.
 */
export interface Augmentation {
  /** Max |gain| in dB. */
  gainDb: number;
  /** Normalised units per dB of each window element (its band's slope a). */
  slopes: Float32Array;
  /** Noise standard deviation in normalised units. */
  noise: number;
}

export function hasAugmentation(a: Augmentation | undefined): a is Augmentation {
  return !!a && (a.gainDb > 0 || a.noise > 0);
}

/** Per-element slopes of an [n_mels, W] window: band m's slope for every frame. */
export function windowSlopes(bandSlopes: ArrayLike<number>, frames: number): Float32Array {
  const out = new Float32Array(bandSlopes.length * frames);
  for (let m = 0; m < bandSlopes.length; m++) out.fill(bandSlopes[m]!, m * frames, (m + 1) * frames);
  return out;
}

/** Input and target of one batch (`rows` windows of `size` values, row-major) under augmentation `a`. */
export function augmentBatch(x: Float32Array, size: number, a: Augmentation, rng: Rng): { input: Float32Array; target: Float32Array } {
  const rows = x.length / size;
  const target = new Float32Array(x.length);
  const input = new Float32Array(x.length);
  for (let r = 0; r < rows; r++) {
    const g = a.gainDb > 0 ? rng.uniform(-a.gainDb, a.gainDb) : 0;
    for (let i = r * size; i < (r + 1) * size; i++) {
      const v = Math.min(1, Math.max(0, x[i]! + g * a.slopes[i - r * size]!));
      target[i] = v;
      input[i] = a.noise > 0 ? v + a.noise * rng.normal() : v;
    }
  }
  return { input, target };
}
