import type { Rng } from '../../util/index.js';

/**
 * Small signal-building blocks shared by the normal clip and the anomaly cues.
 * All of them add into an existing buffer, so a clip is a sum of sources.
 */

/**
 * Adds a decaying resonance (one struck mode) starting at sample `start`.
 * The onset is a raised-cosine ramp one cycle long: a hard step would splash
 * broadband click energy up to Nyquist and hide the high-frequency fault cues
 * that real rollers do not mask either.
 */
export function addStrike(
  out: Float32Array,
  sampleRate: number,
  start: number,
  freqHz: number,
  decaySec: number,
  amp: number,
  phase = 0,
): void {
  // Stop at -80 dB: exp(-t/decay) < 1e-4 after 9.2 decay constants.
  const length = Math.min(out.length - start, Math.ceil(9.2 * decaySec * sampleRate));
  const attack = Math.max(1, Math.round(Math.min(1 / freqHz, decaySec) * sampleRate));
  const w = (2 * Math.PI * freqHz) / sampleRate;
  const damping = Math.exp(-1 / (decaySec * sampleRate));
  let env = amp;
  for (let i = 0; i < length; i++) {
    const ramp = i < attack ? 0.5 - 0.5 * Math.cos((Math.PI * i) / attack) : 1;
    if (start + i >= 0) out[start + i]! += ramp * env * Math.sin(w * i + phase);
    env *= damping;
  }
}

/**
 * RBJ-cookbook band-pass biquad (constant 0 dB peak gain) between `loHz` and
 * `hiHz`, run over `input` in place. Centre is the geometric mean of the edges.
 */
export function bandPassInPlace(input: Float32Array, sampleRate: number, loHz: number, hiHz: number): void {
  const nyquist = sampleRate / 2;
  const hi = Math.min(hiHz, nyquist * 0.95);
  const lo = Math.min(loHz, hi * 0.9);
  const f0 = Math.sqrt(lo * hi);
  const q = f0 / (hi - lo);
  const w0 = (2 * Math.PI * f0) / sampleRate;
  const alpha = Math.sin(w0) / (2 * q);
  const a0 = 1 + alpha;
  const b0 = alpha / a0;
  const b2 = -alpha / a0;
  const a1 = (-2 * Math.cos(w0)) / a0;
  const a2 = (1 - alpha) / a0;
  let x1 = 0,
    x2 = 0,
    y1 = 0,
    y2 = 0;
  for (let i = 0; i < input.length; i++) {
    const x = input[i]!;
    const y = b0 * x + b2 * x2 - a1 * y1 - a2 * y2;
    x2 = x1;
    x1 = x;
    y2 = y1;
    y1 = y;
    input[i] = y;
  }
}

/** White Gaussian noise of unit variance (Box-Muller, both outputs of each pair used). */
export function gaussianNoise(length: number, rng: Rng): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - rng.next()));
    const a = 2 * Math.PI * rng.next();
    out[i] = r * Math.cos(a);
    if (i + 1 < length) out[i + 1] = r * Math.sin(a);
  }
  return out;
}

/** Root mean square of a buffer. */
export function rms(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / Math.max(1, x.length));
}

/** A slow sinusoidal modulation term: depth · sin(2π·rate·t + phase). */
export interface SlowModulation {
  rateHz: number;
  depth: number;
  phase: number;
}

export function modulationAt(mods: readonly SlowModulation[], tSec: number): number {
  let m = 0;
  for (const { rateHz, depth, phase } of mods) m += depth * Math.sin(2 * Math.PI * rateHz * tSec + phase);
  return m;
}

export function dbToLinear(db: number): number {
  return 10 ** (db / 20);
}
