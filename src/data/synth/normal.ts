import type { Rng } from '../../util/index.js';
import { addStrike, bandPassInPlace, gaussianNoise, modulationAt, rms } from './dsp.js';
import type { MachineParams, NormalClipParams } from './types.js';

/**
 * The machine of one dataset. Ranges follow the brief's sound design: a motor
 * hum at 50–120 Hz with harmonics, roller impacts ringing at 500 Hz–3 kHz,
 * belt friction as band-limited noise in the same region.
 */
export function drawMachine(rng: Rng): MachineParams {
  const harmonics = [1];
  for (let k = 2; k <= 6; k++) harmonics.push(rng.uniform(0.3, 0.8) / k);
  const modes = [0, 1, 2].map((i) => ({
    freqHz: rng.uniform(600, 2800),
    decaySec: rng.uniform(0.004, 0.012),
    amp: i === 0 ? 1 : rng.uniform(0.3, 0.7),
  }));
  return {
    humF0Hz: rng.uniform(50, 120),
    humHarmonics: harmonics,
    impactPeriodSec: rng.uniform(0.09, 0.16),
    impactModes: modes,
    frictionBandHz: [rng.uniform(400, 700), rng.uniform(2200, 3200)],
  };
}

/** One normal clip's parameters: the machine plus between-clip drift of speed and level. */
export function drawNormalParams(rng: Rng, machine: MachineParams, sampleRate: number, durationSec: number): NormalClipParams {
  const slow = () => ({ rateHz: rng.uniform(0.05, 0.4), depth: 0, phase: rng.uniform(0, 2 * Math.PI) });
  return {
    sampleRate,
    durationSec,
    machine,
    speed: 1 + 0.02 * rng.normal(),
    speedModulation: [{ ...slow(), depth: rng.uniform(0.002, 0.008) }],
    ampModulation: [{ ...slow(), depth: rng.uniform(0.02, 0.08) }],
    gain: 10 ** ((1.5 * rng.normal()) / 20),
    humLevel: rng.uniform(0.05, 0.07),
    impactLevel: rng.uniform(0.08, 0.12),
    impactJitter: rng.uniform(0.03, 0.08),
    frictionLevel: rng.uniform(0.012, 0.02),
    roomNoiseLevel: rng.uniform(0.002, 0.004),
  };
}

/** Speed factor at time t: clip speed times (1 + within-clip drift). */
export function speedAt(p: NormalClipParams, tSec: number): number {
  return p.speed * (1 + modulationAt(p.speedModulation, tSec));
}

/**
 * Renders a normal conveyor clip (float, nominally within ±0.5). Pure given
 * `p` and the rng stream: the rng supplies impact jitter and noise only.
 */
export function generateNormalClip(p: NormalClipParams, rng: Rng): Float32Array {
  const sr = p.sampleRate;
  const n = Math.round(p.durationSec * sr);
  const out = new Float32Array(n);
  const m = p.machine;

  // Motor hum: phase-accumulated so a speed wobble bends the pitch smoothly.
  // Harmonic k is sin(k·θ + φk) = sin(kθ)·cos φk + cos(kθ)·sin φk, with
  // sin(kθ), cos(kθ) from the Chebyshev recurrence: two sin/cos per sample.
  const harmonics = m.humHarmonics;
  const phaseOffsets = harmonics.map(() => rng.uniform(0, 2 * Math.PI));
  const cosPhi = phaseOffsets.map(Math.cos);
  const sinPhi = phaseOffsets.map(Math.sin);
  const speed = controlRateCurve(n, sr, (t) => speedAt(p, t));
  let theta = 0;
  for (let i = 0; i < n; i++) {
    theta += (2 * Math.PI * m.humF0Hz * speed[i]!) / sr;
    if (theta > 2 * Math.PI) theta -= 2 * Math.PI;
    const s1 = Math.sin(theta);
    const c1 = Math.cos(theta);
    let sPrev = 0,
      cPrev = 1,
      sK = s1,
      cK = c1;
    let s = 0;
    for (let k = 0; k < harmonics.length; k++) {
      s += harmonics[k]! * (sK * cosPhi[k]! + cK * sinPhi[k]!);
      const sNext = 2 * c1 * sK - sPrev;
      const cNext = 2 * c1 * cK - cPrev;
      sPrev = sK;
      cPrev = cK;
      sK = sNext;
      cK = cNext;
    }
    out[i] = p.humLevel * s;
  }

  // Roller impacts: one per roller pitch travelled, so the rate follows speed.
  const impactRng = rng.derive('impacts');
  let t = impactRng.uniform(0, m.impactPeriodSec);
  while (t < p.durationSec) {
    const amp = p.impactLevel * (1 + 0.15 * impactRng.normal());
    for (const mode of m.impactModes) {
      const f = mode.freqHz * (1 + 0.01 * impactRng.normal());
      addStrike(out, sr, Math.round(t * sr), f, mode.decaySec, amp * mode.amp, impactRng.uniform(0, 2 * Math.PI));
    }
    const period = m.impactPeriodSec / speedAt(p, t);
    t += period * (1 + p.impactJitter * impactRng.uniform(-1, 1));
  }

  // Belt friction: band-passed noise, normalised to its level.
  const friction = gaussianNoise(n, rng.derive('friction'));
  // Two cascaded biquads (4th order): a single one leaks enough friction
  // noise above 6 kHz to bury the high-band fault cues.
  bandPassInPlace(friction, sr, m.frictionBandHz[0], m.frictionBandHz[1]);
  bandPassInPlace(friction, sr, m.frictionBandHz[0], m.frictionBandHz[1]);
  const fScale = p.frictionLevel / Math.max(1e-12, rms(friction));
  // Room noise: white plus a one-pole low-passed rumble.
  const room = gaussianNoise(n, rng.derive('room'));
  const amp = controlRateCurve(n, sr, (t) => 1 + modulationAt(p.ampModulation, t));
  let rumble = 0;
  const pole = Math.exp((-2 * Math.PI * 200) / sr);

  for (let i = 0; i < n; i++) {
    rumble = pole * rumble + (1 - pole) * room[i]!;
    const level = p.gain * amp[i]!;
    out[i] = level * (out[i]! + fScale * friction[i]! + p.roomNoiseLevel * (0.3 * room[i]! + 8 * rumble));
  }
  return out;
}

/**
 * A slow curve sampled every 32 samples and linearly interpolated between:
 * drift and wobble are below 5 Hz, so this is exact to well under 0.1 % and
 * saves a sin per sample per modulation term.
 */
export function controlRateCurve(n: number, sampleRate: number, curve: (tSec: number) => number): Float32Array {
  const step = 32;
  const out = new Float32Array(n);
  let a = curve(0);
  for (let i0 = 0; i0 < n; i0 += step) {
    const b = curve((i0 + step) / sampleRate);
    const end = Math.min(n, i0 + step);
    for (let i = i0; i < end; i++) out[i] = a + ((b - a) * (i - i0)) / step;
    a = b;
  }
  return out;
}
