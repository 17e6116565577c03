import type { Rng } from '../../../util/index.js';
import type { AnomalyType, NormalClipParams } from '../types.js';

/**
 * The shape every anomaly file implements (one fault per file):
 *  - `draw` picks this clip's cue parameters; `difficulty` (0 obvious .. 1 very
 *    hard) scales the cue's strength against the normal clip's own variation;
 *  - `render` produces the whole faulty clip: usually the normal clip plus the
 *    cue, or a normal clip of an altered machine state (belt slip).
 * `cueBandHz` documents where the cue's energy lives; tests measure it there.
 */
export interface AnomalyCue<P> {
  type: AnomalyType;
  cueBandHz: [number, number];
  draw(rng: Rng, difficulty: number, normal: NormalClipParams): P;
  render(normal: NormalClipParams, cue: P, audioRng: Rng): Float32Array;
}

/**
 * A cue level in dB, linear in difficulty from `easyDb` to `hardDb`, with a
 * ±3 dB per-clip spread so that within one dataset some faults are subtler
 * than others (as in real recordings).
 */
export function cueLevelDb(rng: Rng, difficulty: number, easyDb: number, hardDb: number): number {
  const d = Math.min(1, Math.max(0, difficulty));
  return easyDb + (hardDb - easyDb) * d + rng.uniform(-3, 3);
}

/** Geometric interpolation for positive quantities such as a modulation depth. */
export function logLerp(easy: number, hard: number, difficulty: number): number {
  const d = Math.min(1, Math.max(0, difficulty));
  return easy * (hard / easy) ** d;
}
