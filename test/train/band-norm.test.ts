import { describe, expect, it } from 'vitest';
import { buildFrontEndTables, windowsFromDbColumns } from '../../src/audio/fixed/index.js';
import { frontEndSpecOf, MODEL_INPUT_QUANT, parseRunConfig, RUN_CONFIG_VERSION, type FeatureSpec } from '../../src/data/run-config.js';
import { createWindower, fitNormalization, resolveFeatureConfig, type ClipDb } from '../../src/data/features/index.js';
import { createRng } from '../../src/util/random.js';

/**
 * Per-band normalisation: a quiet, steady band and a loud, busy band both fill
 * the int8 input's range around 0.5 (global normalisation squeezes the steady
 * one into a few codes), and the device's integer windows equal the float map
 * within one code.
 */
const f: FeatureSpec = {
  mode: 'fixed',
  sampleRate: 16000,
  pdmRate: 16000,
  nFft: 512,
  hop: 256,
  nMels: 2,
  fmin: 0,
  fmax: 8000,
  topDb: 80,
  windowFrames: 4,
  windowHop: 2,
};
/** The same features with per-band normalisation (FeatureSpec `norm`). */
const fb: FeatureSpec = { ...f, norm: 'band' };

function clips(): ClipDb[] {
  const rng = createRng(4);
  return Array.from({ length: 6 }, () => {
    const nFrames = 40;
    const data = new Int16Array(2 * nFrames);
    for (let t = 0; t < nFrames; t++) {
      data[t] = Math.round((-40 + 0.5 * rng.normal()) * 256); // band 0: steady, σ 0.5 dB (floored to 1 dB)
      data[nFrames + t] = Math.round((10 + 12 * rng.normal()) * 256); // band 1: busy, σ 12 dB
    }
    return { kind: 'q8' as const, nMels: 2, nFrames, data };
  });
}

function bandStats(q: Int8Array, band: number): { mean: number; std: number } {
  const v: number[] = [];
  for (let i = 0; i < q.length; i += 8) for (let t = 0; t < 4; t++) v.push((q[i + band * 4 + t]! + 128) / 255);
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return { mean, std: Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length) };
}

describe('per-band normalisation', () => {
  it('centres every band near 0.5 with a spread of about 1/(2·span); global leaves the steady band nearly flat', () => {
    const c = clips();
    const band = fitNormalization(c, fb);
    expect(band.bands!.a).toHaveLength(2);
    expect(fitNormalization(c, f).bands).toBeUndefined();
    const win = (norm: ReturnType<typeof fitNormalization>) => {
      const w = createWindower(norm.bands ? fb : f, norm);
      return Int8Array.from(c.flatMap((clip, i) => [...w(clip, `c${i}`).q]));
    };
    const qb = win(band);
    for (const m of [0, 1]) {
      const s = bandStats(qb, m);
      expect(s.mean).toBeGreaterThan(0.45);
      expect(s.mean).toBeLessThan(0.55);
    }
    expect(bandStats(qb, 1).std).toBeGreaterThan(0.1);
    expect(bandStats(qb, 1).std).toBeLessThan(0.15);
    const qg = win(fitNormalization(c, f));
    expect(bandStats(qg, 0).std).toBeLessThan(0.02);
    expect(bandStats(qb, 0).std).toBeGreaterThan(3 * bandStats(qg, 0).std);
  });

  it('the front-end tables carry one mult/add per band and realise a·dB + b within one int8 code', () => {
    const norm = fitNormalization(clips(), fb);
    const t = buildFrontEndTables(frontEndSpecOf({ features: fb, normalization: norm, inputQuant: MODEL_INPUT_QUANT }));
    expect(t.bandMult).toHaveLength(2);
    const cols = new Int16Array([-40 * 256, -39 * 256, -41 * 256, -40 * 256, 0, 10 * 256, 30 * 256, -20 * 256]);
    const [w] = windowsFromDbColumns(t, cols, 4);
    for (let m = 0; m < 2; m++) {
      for (let k = 0; k < 4; k++) {
        const x = norm.bands!.a[m]! * (cols[m * 4 + k]! / 256) + norm.bands!.b[m]!;
        const want = Math.max(-128, Math.min(127, Math.round(x * 255) - 128));
        expect(Math.abs(w![m * 4 + k]! - want)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('is a field of the FeatureSpec: train --norm band sets it, global leaves the spec as before, tinypdm.json must agree with its values', () => {
    expect(resolveFeatureConfig(16000, { norm: 'band' }).features.norm).toBe('band');
    expect('norm' in resolveFeatureConfig(16000, { norm: 'global' }).features).toBe(false);
    expect(() => resolveFeatureConfig(16000, { norm: 'mel' as 'band' })).toThrow(/--norm mel is not global or band/);
    const norm = fitNormalization(clips(), fb);
    const run = (features: FeatureSpec, normalization: typeof norm) =>
      JSON.stringify({
        tinypdm: RUN_CONFIG_VERSION,
        features,
        normalization,
        inputQuant: MODEL_INPUT_QUANT,
        inputShape: [2, 4, 1],
        threshold: { value: 0.1, method: 'x' },
        seed: 1,
        split: { train: [], val: [], test: [] },
        history: { loss: [], valLoss: [], bestEpoch: 0 },
        training: {},
        calibration: 'calib.npy',
      });
    expect(parseRunConfig(run(fb, norm), 'tinypdm.json').features.norm).toBe('band');
    expect(() => parseRunConfig(run(f, norm), 'tinypdm.json')).toThrow(/features.norm is "global" but normalization has per-band values/);
    const { bands: _bands, ...global } = norm;
    expect(() => parseRunConfig(run(fb, global), 'tinypdm.json')).toThrow(
      /features.norm is "band" but normalization has no per-band values/,
    );
  });
});
