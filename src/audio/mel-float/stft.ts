import { planRealFft } from './fft.js';

/**
 * |STFT|² as librosa 0.9.2's `stft(center=True)` followed by `abs(.)**2`.
 *
 * Checked in librosa 0.9.2's source (librosa/core/spectrum.py, `stft` and
 * `_spectrogram`; `melspectrogram` in librosa/feature/spectral.py):
 * `pad_mode="constant"`, i.e. the signal is padded with n_fft//2 zeros on both
 * sides. (librosa ≤ 0.8 defaulted to "reflect"; 0.9.0 changed it to zeros.)
 * The window is `get_window('hann', n_fft, fftbins=True)`: the periodic Hann
 * window 0.5 − 0.5·cos(2πi/n), not normalised. Frames start every `hop`
 * samples of the padded signal, so there are 1 + (len + 2·(n//2) − n) // hop
 * frames (1 + len // hop for even n_fft).
 */
export interface PowerSpectrogram {
  /** 1 + nFft/2 frequency bins. */
  nBins: number;
  nFrames: number;
  /** Row-major [bin][frame]. */
  data: Float64Array;
}

export function periodicHann(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  return w;
}

export function stftFrameCount(signalLength: number, nFft: number, hop: number): number {
  const padded = signalLength + 2 * Math.floor(nFft / 2);
  return padded < nFft ? 0 : 1 + Math.floor((padded - nFft) / hop);
}

export function powerSpectrogram(y: ArrayLike<number>, nFft: number, hop: number): PowerSpectrogram {
  const fft = planRealFft(nFft);
  const nBins = fft.bins;
  const nFrames = stftFrameCount(y.length, nFft, hop);
  const pad = Math.floor(nFft / 2);
  const window = periodicHann(nFft);
  const frame = new Float64Array(nFft);
  const re = new Float64Array(nBins);
  const im = new Float64Array(nBins);
  const data = new Float64Array(nBins * nFrames);
  for (let f = 0; f < nFrames; f++) {
    const start = f * hop - pad; // index into the unpadded signal
    for (let i = 0; i < nFft; i++) {
      const t = start + i;
      frame[i] = t >= 0 && t < y.length ? y[t]! * window[i]! : 0;
    }
    fft.forward(frame, re, im);
    for (let k = 0; k < nBins; k++) data[k * nFrames + f] = re[k]! * re[k]! + im[k]! * im[k]!;
  }
  return { nBins, nFrames, data };
}
