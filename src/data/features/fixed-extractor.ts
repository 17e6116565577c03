import { buildFrontEndTables, choosePdmRate, fixedFeatures } from '../../audio/index.js';
import type { FixedExtractor } from './compute-features.js';
import { clipTopDb, splitWindows, type MelResult, type TopDbScope } from '../../audio/index.js';
import { simulateMicrophone } from '../../audio/index.js';

export interface FixedFeatureConfig {
  rate: number;
  nFft: number;
  hop: number;
  nMels: number;
  fmin: number;
  fmax: number;
  topDb: number;
}

/**
 * `tinypdm features --mode fixed`: the device's fixed-point front-end (its
 * bit-exact twin) on what the microphone would capture, as float dB so the
 * output compares directly with `--mode float`. The top_db floor is applied
 * with the same scope as the float path.
 */
export function fixedFeatureExtractor(cfg: FixedFeatureConfig, scope: TopDbScope = 'clip'): FixedExtractor {
  const pdmRate = choosePdmRate(cfg.rate);
  const tables = buildFrontEndTables({
    targetRate: cfg.rate,
    pdmRate,
    nFft: cfg.nFft,
    hop: cfg.hop,
    nMels: cfg.nMels,
    fmin: cfg.fmin,
    fmax: cfg.fmax,
    // Windows are not used here: only the dB columns are read.
    windowFrames: 1,
    windowHop: 1,
    topDb: null,
    affine: { a: 1, b: 0, inputScale: 1, inputZeroPoint: 0 },
  });
  return (int16, sampleRate) => {
    const asFloat = Float32Array.from(int16, (v) => v / 32768);
    const f = fixedFeatures(simulateMicrophone(asFloat, sampleRate, pdmRate), tables);
    const db = Float64Array.from(f.dbColumnsQ8, (q) => q / 256);
    const clip: MelResult = { nMels: f.nMels, nFrames: f.nFrames, data: db };
    if (scope === 'clip') return { ...clip, data: clipTopDb(db, cfg.topDb) };
    return splitWindows(clip, scope).map((w) => ({ ...w, data: clipTopDb(w.data, cfg.topDb) }));
  };
}
