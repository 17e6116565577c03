/** Deterministic test signals at a given rate, as int16 PCM. */
import { mulberry32 } from '../../helpers/random.js';

function toInt16(x: Float64Array): Int16Array {
  const y = new Int16Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = Math.max(-32768, Math.min(32767, Math.round(x[i]!)));
  return y;
}

/** Linear chirp from 20 Hz to fTop (default: the Nyquist of `rate`). */
export function chirp(rate: number, seconds: number, amplitude = 12000, fTop = rate / 2): Int16Array {
  const n = Math.round(rate * seconds);
  const x = new Float64Array(n);
  const f0 = 20;
  const f1 = fTop;
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    x[i] = amplitude * Math.sin(2 * Math.PI * (f0 * t + ((f1 - f0) * t * t) / (2 * seconds)));
  }
  return toInt16(x);
}

export function whiteNoise(rate: number, seconds: number, amplitude = 8000, seed = 1): Int16Array {
  const r = mulberry32(seed);
  const x = new Float64Array(Math.round(rate * seconds));
  for (let i = 0; i < x.length; i++) x[i] = amplitude * (2 * r() - 1);
  return toInt16(x);
}

export function silence(rate: number, seconds: number): Int16Array {
  return new Int16Array(Math.round(rate * seconds));
}

/** A sine driven far past full scale: hard-clipped square-ish wave at ±32767/−32768. */
export function clipped(rate: number, seconds: number): Int16Array {
  const x = new Float64Array(Math.round(rate * seconds));
  for (let i = 0; i < x.length; i++) x[i] = 200000 * Math.sin((2 * Math.PI * 437 * i) / rate);
  return toInt16(x);
}

/** Large DC offset plus a small tone and a little noise. */
export function dcOffset(rate: number, seconds: number): Int16Array {
  const r = mulberry32(7);
  const x = new Float64Array(Math.round(rate * seconds));
  for (let i = 0; i < x.length; i++) x[i] = 20000 + 1500 * Math.sin((2 * Math.PI * 181 * i) / rate) + 200 * (2 * r() - 1);
  return toInt16(x);
}

/**
 * A conveyor-like machine sound: a 29.7 Hz shaft with harmonics and slow speed
 * wander, a belt hum, bearing noise amplitude-modulated at the ball-pass
 * frequency, and periodic impacts.
 */
export function machine(rate: number, seconds: number, seed = 3): Int16Array {
  const r = mulberry32(seed);
  const x = new Float64Array(Math.round(rate * seconds));
  let phase = 0;
  let lp = 0;
  for (let i = 0; i < x.length; i++) {
    const t = i / rate;
    const f = 29.7 * (1 + 0.01 * Math.sin(2 * Math.PI * 0.3 * t));
    phase += (2 * Math.PI * f) / rate;
    let v = 0;
    for (let h = 1; h <= 12; h++) v += (2500 / h) * Math.sin(h * phase + h * h * 0.7);
    v += 900 * Math.sin(2 * Math.PI * 120 * t);
    lp += 0.2 * (2 * r() - 1 - lp);
    v += 1800 * (1 + 0.8 * Math.sin(2 * Math.PI * 87.3 * t)) * lp;
    const sinceImpact = t % 0.37;
    v += 6000 * Math.exp(-sinceImpact * 300) * Math.sin(2 * Math.PI * 2300 * sinceImpact);
    x[i] = v;
  }
  return toInt16(x);
}
