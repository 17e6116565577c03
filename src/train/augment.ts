import type { Rng } from './random.js';

/**
 * Training-time augmentation of normalised model windows, per batch from the
 * seeded PRNG (so a run replays):
 *  - gain: each window is shifted by g ~ U(−gain, +gain) in normalised units,
 *    both input and target. A microphone gain change of G dB moves every
 *    front-end dB value, and with it the window's top_db floor, by G, so in
 *    normalised units the window shifts by a·G (a = the run's dB slope);
 *    values are clamped to [0, 1] as the int8 input is. Teaches the model that
 *    loudness alone is not an anomaly.
 *  - noise: Gaussian noise of this standard deviation on the input only (the
 *    target stays clean): a denoising autoencoder, which learns the normal
 *    structure rather than the identity.
 */
export interface Augmentation {
  /** Max |shift| in normalised units (train converts --augment-gain dB with the fitted slope). */
  gain: number;
  /** Noise standard deviation in normalised units. */
  noise: number;
}

export function hasAugmentation(a: Augmentation | undefined): a is Augmentation {
  return !!a && (a.gain > 0 || a.noise > 0);
}

/** Input and target of one batch (`rows` windows of `size` values, row-major) under augmentation `a`. */
export function augmentBatch(x: Float32Array, size: number, a: Augmentation, rng: Rng): { input: Float32Array; target: Float32Array } {
  const rows = x.length / size;
  const target = new Float32Array(x.length);
  const input = new Float32Array(x.length);
  for (let r = 0; r < rows; r++) {
    const g = a.gain > 0 ? rng.uniform(-a.gain, a.gain) : 0;
    for (let i = r * size; i < (r + 1) * size; i++) {
      const v = Math.min(1, Math.max(0, x[i]! + g));
      target[i] = v;
      input[i] = a.noise > 0 ? v + a.noise * rng.normal() : v;
    }
  }
  return { input, target };
}
