/**
 * Slaney-style Mel filterbank, as librosa.filters.mel(htk=False, norm='slaney')
 * builds it (librosa/filters.py `mel`: Slaney scale, Slaney area normalisation). Shared by the float reference and by the table
 * generator of the fixed-point front-end, so both use the same filters.
 */

const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOG_STEP = Math.log(6.4) / 27;

export function hzToMel(hz: number): number {
  return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP : hz / F_SP;
}

export function melToHz(mel: number): number {
  return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
}

export interface MelFilterSpec {
  sampleRate: number;
  nFft: number;
  nMels: number;
  fmin: number;
  /** Defaults to sampleRate / 2. */
  fmax?: number;
}

/** Weights as nMels rows of (1 + nFft/2) bins, in float64. */
export function melFilterbank(spec: MelFilterSpec): Float64Array[] {
  const { sampleRate, nFft, nMels, fmin } = spec;
  const fmax = spec.fmax ?? sampleRate / 2;
  const nBins = 1 + Math.floor(nFft / 2);
  const melMin = hzToMel(fmin);
  const melMax = hzToMel(fmax);
  const melF = new Float64Array(nMels + 2);
  for (let i = 0; i < nMels + 2; i++) melF[i] = melToHz(melMin + ((melMax - melMin) * i) / (nMels + 1));
  const fftF = new Float64Array(nBins);
  // librosa 0.9 fft_frequencies = np.fft.rfftfreq(n_fft, 1/sr): k·sr/n_fft, also for odd n_fft.
  for (let k = 0; k < nBins; k++) fftF[k] = (k * sampleRate) / nFft;

  const rows: Float64Array[] = [];
  for (let m = 0; m < nMels; m++) {
    const row = new Float64Array(nBins);
    const lowDiff = melF[m + 1]! - melF[m]!;
    const highDiff = melF[m + 2]! - melF[m + 1]!;
    const enorm = 2 / (melF[m + 2]! - melF[m]!);
    for (let k = 0; k < nBins; k++) {
      const lower = (fftF[k]! - melF[m]!) / lowDiff;
      const upper = (melF[m + 2]! - fftF[k]!) / highDiff;
      row[k] = Math.max(0, Math.min(lower, upper)) * enorm;
    }
    rows.push(row);
  }
  return rows;
}
