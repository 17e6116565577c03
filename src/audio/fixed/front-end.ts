import { melDbColumn } from './mel-db.js';
import { StreamingResampler } from './resampler.js';
import { frameSpectrum } from './spectrum.js';
import type { FrontEndTables } from './tables.js';
import { quantizeWindow } from './window-quant.js';

export interface FrontEndSink {
  /** One dB column (n_mels, Q8 = dB·256). The array is reused: copy it to keep it. */
  onColumn?(dbQ8: Int16Array, columnIndex: number): void;
  /** One int8 model input, element (mel m, frame f) at m·W + f. Reused: copy it to keep it. */
  onWindow?(input: Int8Array, windowIndex: number): void;
}

export interface FrontEnd {
  /** int16 PCM at the PDM rate; any block size, including one sample. */
  pushSamples(pcm: Int16Array): void;
  /** End of a clip: zeros complete the resampler's last outputs and the n_fft/2 right pad (librosa center=True). */
  flush(): void;
  readonly columnsProduced: number;
  readonly windowsProduced: number;
}

/**
 * The fixed-point front-end in TypeScript: the specification the C follows
 * bit for bit (firmware/frontend/tp_frontend.c).
 *
 * Framing (center=True in streaming form): the frame ring starts holding
 * n_fft/2 zeros (librosa's left pad), so frame t — centred on target sample
 * t·hop — is produced once target sample t·hop + n_fft/2 − 1 has arrived:
 * latency n_fft/2 target samples plus the resampler's K/2 PDM samples. For a
 * whole clip followed by flush(), the columns are frames 0 .. len/hop, the
 * same count and alignment as librosa.
 */
export function createFrontEnd(t: FrontEndTables, sink: FrontEndSink = {}): FrontEnd {
  const n = t.spec.nFft;
  const nMels = t.spec.nMels;
  const hop = t.spec.hop;
  const W = t.spec.windowFrames;
  const H = t.spec.windowHop;
  const frame = new Int16Array(n);
  const work = new Int32Array(n);
  const power = new Float64Array(n / 2 + 1);
  const ring = new Int16Array(W * nMels);
  const windowOut = new Int8Array(W * nMels);
  let framePos = n >> 1;
  let untilFrame = n >> 1;
  let columns = 0;
  let windows = 0;
  let untilWindow = W;

  const onTarget = (y: number): void => {
    frame[framePos] = y;
    framePos = (framePos + 1) & (n - 1);
    if (--untilFrame !== 0) return;
    untilFrame = hop;
    const slot = columns % W;
    const exp = frameSpectrum(t, frame, framePos, work, power);
    melDbColumn(t, power, exp, ring, slot * nMels);
    sink.onColumn?.(ring.subarray(slot * nMels, (slot + 1) * nMels), columns);
    columns++;
    if (--untilWindow !== 0) return;
    untilWindow = H;
    quantizeWindow(t, ring, columns % W, windowOut);
    sink.onWindow?.(windowOut, windows);
    windows++;
  };
  const resampler = new StreamingResampler(t, onTarget);
  return {
    pushSamples(pcm: Int16Array) {
      for (let i = 0; i < pcm.length; i++) resampler.push(pcm[i]!);
    },
    flush() {
      resampler.flush();
      for (let i = 0; i < n >> 1; i++) onTarget(0);
    },
    get columnsProduced() {
      return columns;
    },
    get windowsProduced() {
      return windows;
    },
  };
}
