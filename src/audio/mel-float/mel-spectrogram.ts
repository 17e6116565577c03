import { fail } from '../../util/index.js';
import type { FeatureSpec } from '../feature-spec.js';
import { melFilterbank } from '../mel-filters.js';
import { clipTopDb, powerToDbUnclipped } from './power-to-db.js';
import { powerSpectrogram } from './stft.js';

/**
 * The float64 reference of the paper's features (librosa/feature/spectral.py and librosa/core/spectrum.py):
 * librosa 0.9 `power_to_db(melspectrogram(y, sr, n_fft, hop_length, n_mels,
 * fmin, fmax, power=2), ref=1.0, amin=1e-10, top_db)`.
 *
 * librosa itself runs this in float32 (its `load` returns float32 and its Mel
 * weights default to float32); this reference stays in float64 so that it is
 * the exact value float32 implementations approximate.
 * Checked once (not in CI) against librosa 0.9.2 run from source: 1e-11 dB with
 * float64 Mel weights; 3e-5 dB max against librosa's own float32 pipeline.
 */
export type MelConfig = Pick<FeatureSpec, 'sampleRate' | 'nFft' | 'hop' | 'nMels' | 'fmin' | 'fmax' | 'topDb'>;

/** Row-major [mel][frame]. */
export interface MelResult {
  nMels: number;
  nFrames: number;
  data: Float64Array;
}

/**
 * Where the top_db floor (peak − topDb) is measured:
 * - 'clip': the peak of the whole spectrogram, as the paper's training code;
 * - windows: the peak of each model window of `windowFrames` columns, taken
 *   every `hopFrames` columns, as a streaming device can.
 */
export type TopDbScope = 'clip' | WindowScope;
export interface WindowScope {
  windowFrames: number;
  hopFrames: number;
}

export function validateMelConfig(cfg: MelConfig): void {
  const { sampleRate, nFft, hop, nMels, fmin, fmax, topDb } = cfg;
  const positiveInt = (name: string, v: number) =>
    (Number.isInteger(v) && v > 0) || fail('BAD_ARGUMENT', `mel config: ${name} must be a positive integer, got ${v}`);
  (Number.isFinite(sampleRate) && sampleRate > 0) ||
    fail('BAD_ARGUMENT', `mel config: sampleRate must be a positive number of Hz, got ${sampleRate}`);
  positiveInt('nFft', nFft);
  positiveInt('hop', hop);
  positiveInt('nMels', nMels);
  (fmin >= 0 && fmin < fmax) ||
    fail('BAD_ARGUMENT', `mel config: need 0 ≤ fmin < fmax, got fmin ${fmin} and fmax ${fmax}; lower --fmin or raise --fmax`);
  fmax <= sampleRate / 2 ||
    fail(
      'BAD_ARGUMENT',
      `mel config: fmax ${fmax} Hz is above the Nyquist frequency ${sampleRate / 2} Hz at ${sampleRate} Hz; choose --fmax ≤ ${sampleRate / 2}`,
    );
  topDb === null || topDb >= 0 || fail('BAD_ARGUMENT', `mel config: topDb must be ≥ 0 (or null for no clipping), got ${topDb}`);
}

/** Mel power spectrogram, before the dB conversion (librosa `melspectrogram`, power 2). */
export function powerMel(y: Float64Array | Float32Array, cfg: MelConfig): MelResult {
  validateMelConfig(cfg);
  const spec = powerSpectrogram(y, cfg.nFft, cfg.hop);
  const filters = melFilterbank(cfg);
  const { nFrames, nBins } = spec;
  const data = new Float64Array(cfg.nMels * nFrames);
  for (let m = 0; m < cfg.nMels; m++) {
    const row = filters[m]!;
    // Each triangle covers a few bins; skip the zeros.
    let lo = 0;
    while (lo < nBins && row[lo] === 0) lo++;
    let hi = nBins - 1;
    while (hi >= lo && row[hi] === 0) hi--;
    const out = m * nFrames;
    for (let k = lo; k <= hi; k++) {
      const w = row[k]!;
      if (w === 0) continue;
      const src = k * nFrames;
      for (let f = 0; f < nFrames; f++) data[out + f]! += w * spec.data[src + f]!;
    }
  }
  return { nMels: cfg.nMels, nFrames, data };
}

export function melSpectrogramDb(y: Float64Array | Float32Array, cfg: MelConfig, scope?: 'clip'): MelResult;
export function melSpectrogramDb(y: Float64Array | Float32Array, cfg: MelConfig, scope: WindowScope): MelResult[];
export function melSpectrogramDb(y: Float64Array | Float32Array, cfg: MelConfig, scope?: TopDbScope): MelResult | MelResult[];
export function melSpectrogramDb(y: Float64Array | Float32Array, cfg: MelConfig, scope: TopDbScope = 'clip'): MelResult | MelResult[] {
  const mel = powerMel(y, cfg);
  const db = powerToDbUnclipped(mel.data);
  if (scope === 'clip') return { nMels: mel.nMels, nFrames: mel.nFrames, data: clipTopDb(db, cfg.topDb) };
  return splitWindows({ ...mel, data: db }, scope).map((w) => ({ ...w, data: clipTopDb(w.data, cfg.topDb) }));
}

/**
 * Windows of `windowFrames` columns starting every `hopFrames` columns; only
 * whole windows (a clip shorter than one window gives none).
 */
export function splitWindows(mel: MelResult, scope: WindowScope): MelResult[] {
  const { windowFrames: w, hopFrames: h } = scope;
  (Number.isInteger(w) && w > 0 && Number.isInteger(h) && h > 0) ||
    fail('BAD_ARGUMENT', `top_db window scope needs positive integer windowFrames and hopFrames, got ${w} and ${h}`);
  const windows: MelResult[] = [];
  for (let start = 0; start + w <= mel.nFrames; start += h) {
    const data = new Float64Array(mel.nMels * w);
    for (let m = 0; m < mel.nMels; m++) data.set(mel.data.subarray(m * mel.nFrames + start, m * mel.nFrames + start + w), m * w);
    windows.push({ nMels: mel.nMels, nFrames: w, data });
  }
  return windows;
}
