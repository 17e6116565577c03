import { gcd } from './int-math.js';

/**
 * Polyphase resampler design shared by the C front-end, its TS twin and the
 * float64 reference.
 *
 * Output sample n sits at input time t_n = n·M/L (L/M = target/pdm reduced).
 * It is y[n] = Σ_i h_p[i] · x[base − K/2 + 1 + i], i = 0..K−1, where
 * base + p/P is t_n rounded to the nearest 1/P (ties up) and h_p samples a
 * Kaiser-windowed sinc g(τ) at τ = p/P + K/2 − 1 − i. Taps are stored
 * oldest-sample-first so the C MAC loop walks both arrays upwards.
 *
 * Phases: when L ≤ MAX_EXACT_PHASES the bank has P = L phases and the nearest
 * phase is the exact one (a true rational resampler: 16000→6000 is 3/8).
 * Awkward ratios (41667→24000 is 8000/13889) use P = MAX_EXACT_PHASES phases;
 * the integer phase accumulator stays exact, only the fractional delay is
 * rounded to 1/P of an input sample: a timing error ≤ 1/(2P·pdm) s, i.e.
 * ≤ −50 dB relative error at 10 kHz for P = 256. Table: P·K int16.
 *
 * Filter: cutoff at the output Nyquist; passband edge 0.9·Nyquist (nearer resampy kaiser_best's 0.9475 roll-off than 0.85, so the top Mel band tracks the paper's float pipeline better, while 6000 Hz stays under 15% of the M4 budget); stopband
 * edge target − passband edge (so anything aliased lands above the passband
 * edge); Kaiser for 70 dB stopband attenuation. K is even and grows as
 * pdm / (stop − pass): 16000→375 needs ~1200 taps per phase (3 phases),
 * 41667→24000 ~50 taps × 256 phases.
 */
export const MAX_EXACT_PHASES = 256;
export const PASSBAND_FRACTION = 0.9;
export const STOPBAND_ATTENUATION_DB = 70;

export interface ResamplerDesign {
  passthrough: boolean;
  pdmRate: number;
  targetRate: number;
  /** Reduced up/down factors: target/pdm = up/down. */
  up: number;
  down: number;
  phases: number;
  tapsPerPhase: number;
  /** Float taps, phases × tapsPerPhase, oldest-sample-first; each phase sums to 1. */
  taps: Float64Array;
  passbandHz: number;
  stopbandHz: number;
  attenuationDb: number;
}

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 200; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

export function designResampler(pdmRate: number, targetRate: number): ResamplerDesign {
  const g = gcd(pdmRate, targetRate);
  const up = targetRate / g;
  const down = pdmRate / g;
  const nyquistOut = targetRate / 2;
  const passbandHz = PASSBAND_FRACTION * nyquistOut;
  const stopbandHz = targetRate - passbandHz;
  if (up === down) {
    return {
      passthrough: true,
      pdmRate,
      targetRate,
      up: 1,
      down: 1,
      phases: 1,
      tapsPerPhase: 0,
      taps: new Float64Array(0),
      passbandHz: nyquistOut,
      stopbandHz: nyquistOut,
      attenuationDb: 0,
    };
  }
  const phases = up <= MAX_EXACT_PHASES ? up : MAX_EXACT_PHASES;
  const A = STOPBAND_ATTENUATION_DB;
  const beta = 0.1102 * (A - 8.7);
  const transition = (2 * Math.PI * (stopbandHz - passbandHz)) / pdmRate;
  const order = (A - 8) / (2.285 * transition);
  const tapsPerPhase = Math.max(4, 2 * Math.ceil(order / 2));
  const half = tapsPerPhase / 2;
  const fc = nyquistOut / pdmRate; // cycles per input sample
  const i0Beta = besselI0(beta);
  const taps = new Float64Array(phases * tapsPerPhase);
  for (let p = 0; p < phases; p++) {
    let sum = 0;
    for (let i = 0; i < tapsPerPhase; i++) {
      const tau = p / phases + half - 1 - i;
      const x = 2 * fc * tau;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const r = tau / half;
      const win = Math.abs(r) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - r * r)) / i0Beta;
      const h = 2 * fc * sinc * win;
      taps[p * tapsPerPhase + i] = h;
      sum += h;
    }
    // Unity DC gain on every phase, so phase switching does not modulate the level.
    for (let i = 0; i < tapsPerPhase; i++) taps[p * tapsPerPhase + i]! /= sum;
  }
  return { passthrough: false, pdmRate, targetRate, up, down, phases, tapsPerPhase, taps, passbandHz, stopbandHz, attenuationDb: A };
}

/**
 * The phase schedule as exact integers: after output n, the next output's
 * rounded position advances by stepWhole phases plus a carry from an exact
 * remainder accumulator. Nearest phase of n·M·P/L = floor((2nMP + L) / 2L).
 */
export function phaseSteps(d: ResamplerDesign): { stepWhole: number; stepRem: number; remStart: number; remModulus: number } {
  const twoL = 2 * d.up;
  const stride = 2 * d.down * d.phases;
  return { stepWhole: Math.floor(stride / twoL), stepRem: stride % twoL, remStart: d.up % twoL, remModulus: twoL };
}
