import { describe, expect, it } from 'vitest';
import { buildFrontEndTables, fixedFeatures, windowsFromDbColumns, type FrontEndSpec } from '../../src/audio/fixed/index.js';
import { createRng } from '../../src/util/random.js';
import { fitNormalization, resolveFeatureConfig } from '../../src/data/index.js';

/** A noisy chirp with a loud burst, so windows differ in level and the top_db clamp bites. */
function signal(n: number, rate: number, seed: number): Int16Array {
  const rng = createRng(seed);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    const burst = i > n / 2 && i < (n * 3) / 5 ? 12000 : 300;
    out[i] = Math.round(burst * Math.sin(2 * Math.PI * (200 + 900 * t) * t) + 200 * (rng.next() - 0.5));
  }
  return out;
}

describe('windowsFromDbColumns', () => {
  const base: Omit<FrontEndSpec, 'affine'> = {
    sampleRate: 6000,
    nFft: 256,
    hop: 64,
    nMels: 16,
    fmin: 0,
    windowFrames: 12,
    windowHop: 5,
    topDb: 40,
  };
  for (const affine of [
    { a: 1 / 80, b: 1.1, inputScale: 1 / 255, inputZeroPoint: -128 },
    { a: 1 / 37.5, b: 0.4, inputScale: 1 / 255, inputZeroPoint: -128 },
  ]) {
    it(`equals the streaming twin's own windows (a = ${affine.a.toFixed(4)})`, () => {
      const t = buildFrontEndTables({ ...base, affine });
      const pcm = signal(16000, 16000, 7);
      const ref = fixedFeatures(pcm, t);
      const got = windowsFromDbColumns(t, ref.dbColumnsQ8, ref.nFrames);
      expect(ref.windowsInt8.length).toBeGreaterThan(3);
      expect(got.length).toBe(ref.windowsInt8.length);
      got.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(ref.windowsInt8[i]!)));
    });
  }
});

describe('fitNormalization', () => {
  it('maps the clamped training range onto [0, 1] with per-window top_db', () => {
    const { features } = resolveFeatureConfig(6000, { nMels: 2, frames: 2, windowHop: 2, hop: 64, nFft: 256 });
    // Q8 columns of one clip, 2 Mel × 4 frames: window 1 = frames 0–1, window 2 = frames 2–3.
    const dB = [0, -90, 10, -20, /* mel 1 */ -5, -100, -30, -40];
    const clip = { kind: 'q8' as const, nMels: 2, nFrames: 4, data: Int16Array.from(dB, (d) => d * 256) };
    const n = fitNormalization([clip], features);
    // Window 1: max 0, clamp floor −80 → min −80; window 2: max 10, min −40.
    expect(n.dbMin).toBe(-80);
    expect(n.dbMax).toBe(10);
    expect(n.a * n.dbMin + n.b).toBeCloseTo(0, 12);
    expect(n.a * n.dbMax + n.b).toBeCloseTo(1, 12);
  });
});

describe('resolveFeatureConfig', () => {
  it('keeps the Nano defaults at 6000 Hz and scales n_fft and hop with the rate, so a window spans the same time everywhere', () => {
    expect(resolveFeatureConfig(6000).features).toMatchObject({
      nFft: 1024,
      hop: 256,
      nMels: 32,
      windowFrames: 32,
      windowHop: 16,
      pdmRate: 16000,
      mode: 'fixed',
    });
    const span = (rate: number) => {
      const f = resolveFeatureConfig(rate).features;
      return (f.windowFrames * f.hop) / rate;
    };
    const bin = (rate: number) => rate / resolveFeatureConfig(rate).features.nFft;
    expect(resolveFeatureConfig(12000).features).toMatchObject({ nFft: 2048, hop: 512 });
    const high = resolveFeatureConfig(24000);
    expect(high.features).toMatchObject({ nFft: 2048, hop: 1024, pdmRate: 41667 });
    expect(high.notes.join()).toMatch(/n_fft 2048, hop 1024.*1\.37 s/);
    const low = resolveFeatureConfig(375);
    expect(low.features).toMatchObject({ nFft: 64, hop: 16 });
    for (const rate of [24000, 12000, 3000, 1500, 750, 375]) expect(span(rate), `${rate} Hz`).toBeCloseTo(span(6000), 9);
    // Same FFT bin spacing everywhere but at 24 kHz, where n_fft stops at the front-end's 2048.
    for (const rate of [12000, 3000, 1500, 750, 375]) expect(bin(rate), `${rate} Hz`).toBeCloseTo(bin(6000), 9);
    // Rates that are not 6000·2^k (the Nano's native 16000 Hz, 8000 Hz) keep the 1.37 s window too: the hop
    // scales exactly (whole samples), n_fft is the power of two nearest 4·hop. A power-of-two hop gave 1.02 s.
    expect(resolveFeatureConfig(16000).features).toMatchObject({ nFft: 2048, hop: 683, pdmRate: 16000 });
    expect(resolveFeatureConfig(16000).notes.join()).toMatch(/n_fft 2048, hop 683.*1\.37 s/);
    expect(resolveFeatureConfig(8000).features).toMatchObject({ nFft: 1024, hop: 341 });
    for (const rate of [16000, 8000, 41667, 14700]) {
      // The hop is rounded to a whole sample: the span is off by at most half a sample per frame.
      expect(Math.abs(span(rate) - span(6000)), `${rate} Hz`).toBeLessThan(0.5 * (32 / rate) + 1e-9);
    }
    expect(resolveFeatureConfig(24000, { hop: 256 }).features).toMatchObject({ nFft: 1024, hop: 256 });
    expect(resolveFeatureConfig(24000, { nFft: 512 }).features).toMatchObject({ nFft: 512, hop: 256 });
  });
  it('halves the hop further when the clips are too short for two windows, and says so', () => {
    const short = resolveFeatureConfig(375, { clipSeconds: 1 });
    expect(short.features).toMatchObject({ nFft: 16, hop: 4 });
    expect(1 + Math.floor(375 / short.features.hop)).toBeGreaterThanOrEqual(48);
    expect(short.notes.join()).toMatch(/1 s clip gives too few frames .* hop 16; using n_fft 16, hop 4/);
  });
  it('--paper uses the paper features and says it will not fit', () => {
    const p = resolveFeatureConfig(6000, { paper: true });
    expect(p.features).toMatchObject({ mode: 'float', nFft: 2048, hop: 512, nMels: 256, wholeClip: true });
    expect(p.notes.join()).toMatch(/not fit/);
  });
});
