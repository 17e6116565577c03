import { buildFrontEndTables, type FrontEndSpec } from '../../../src/audio/fixed/index.js';

const affine = { a: 1 / 120, b: 100 / 120, inputScale: 1 / 255, inputZeroPoint: -128 };

/** Every paper target rate, the train defaults at 24000, 750 and 375 Hz, both PDM rates (41667 for 24000 and its pass-through), n_fft 2048/1024/512/256. */
export const SPECS: Record<string, FrontEndSpec> = {
  r24000: { sampleRate: 24000, nFft: 2048, hop: 512, nMels: 256, fmin: 0, windowFrames: 8, windowHop: 4, topDb: 80, affine },
  r12000: { sampleRate: 12000, nFft: 1024, hop: 256, nMels: 64, fmin: 0, windowFrames: 16, windowHop: 5, topDb: 80, affine },
  r6000: { sampleRate: 6000, nFft: 2048, hop: 512, nMels: 64, fmin: 0, windowFrames: 8, windowHop: 2, topDb: 80, affine },
  r3000: { sampleRate: 3000, nFft: 512, hop: 128, nMels: 32, fmin: 20, windowFrames: 12, windowHop: 6, topDb: 60, affine },
  r1500: { sampleRate: 1500, nFft: 256, hop: 64, nMels: 32, fmin: 0, windowFrames: 16, windowHop: 8, topDb: 80, affine },
  r750: { sampleRate: 750, nFft: 256, hop: 64, nMels: 16, fmin: 0, fmax: 300, windowFrames: 8, windowHop: 8, topDb: null, affine },
  r375: { sampleRate: 375, nFft: 256, hop: 32, nMels: 16, fmin: 0, windowFrames: 8, windowHop: 3, topDb: 80, affine },
  r16000: { sampleRate: 16000, nFft: 512, hop: 256, nMels: 40, fmin: 0, windowFrames: 10, windowHop: 5, topDb: 80, affine },
  r41667: { sampleRate: 41667, nFft: 1024, hop: 512, nMels: 64, fmin: 0, windowFrames: 6, windowHop: 3, topDb: 80, affine },
  // Train defaults where n_fft/hop scale with the rate: half-overlapping 2048-point frames at 24000 Hz, and
  // 128- and 64-point FFTs under 32 Mel bands at 750 and 375 Hz.
  r24000hop1024: { sampleRate: 24000, nFft: 2048, hop: 1024, nMels: 32, fmin: 0, windowFrames: 8, windowHop: 4, topDb: 80, affine },
  r750fft128: { sampleRate: 750, nFft: 128, hop: 32, nMels: 32, fmin: 0, windowFrames: 8, windowHop: 4, topDb: 80, affine },
  r375fft64: { sampleRate: 375, nFft: 64, hop: 16, nMels: 32, fmin: 0, windowFrames: 8, windowHop: 4, topDb: 80, affine },
  // Per-band normalisation (train --norm band): 0.5 + (dB − μ_m)/(8σ_m) with spreads from 1 to 20 dB, one shift for all bands.
  r16000bands: {
    sampleRate: 16000,
    nFft: 1024,
    hop: 512,
    nMels: 24,
    fmin: 0,
    windowFrames: 5,
    windowHop: 1,
    topDb: 80,
    affine: {
      ...affine,
      bands: {
        a: Array.from({ length: 24 }, (_, m) => 1 / (8 * (1 + (19 * m) / 23))),
        b: Array.from({ length: 24 }, (_, m) => 0.5 + (40 + m) / (8 * (1 + (19 * m) / 23))),
      },
    },
  },
};

export const CONFIGS = Object.entries(SPECS).map(([name, spec]) => ({ name, tables: buildFrontEndTables(spec) }));
