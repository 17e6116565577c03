import type { ResamplerDesign } from './resampler-design.js';

/**
 * The same polyphase resampler in float64 with the unquantised taps: same
 * phase schedule (nearest of P phases), same zero history, same output count
 * ceil(len·up/down). The accuracy reference for the fixed-point path.
 */
export function resamplePolyphaseFloat(x: ArrayLike<number>, d: ResamplerDesign): Float64Array {
  if (d.passthrough) return Float64Array.from(x);
  const { up, down, phases, tapsPerPhase: K, taps } = d;
  const nOut = Math.ceil((x.length * up) / down);
  const y = new Float64Array(nOut);
  for (let n = 0; n < nOut; n++) {
    // Nearest phase of n·down·P/up (ties up); exact in float64 for clips below 2^53 / (2·down·P).
    const total = Math.floor((2 * n * down * phases + up) / (2 * up));
    const base = Math.floor(total / phases);
    const p = total - base * phases;
    const first = base - K / 2 + 1;
    let acc = 0;
    for (let i = 0; i < K; i++) {
      const j = first + i;
      if (j >= 0 && j < x.length) acc += taps[p * K + i]! * x[j]!;
    }
    y[n] = acc;
  }
  return y;
}
