/**
 * Defaults shown in `--help` and used by the stages. Kept in one module with
 * no imports, so the CLI can print help without loading TF.js or the stages.
 */
export const TRAIN_DEFAULTS = { epochs: 30, batchSize: 32, learningRate: 1e-3, patience: 5, seed: 1, calibrationWindows: 128 } as const;
export const SWEEP_DEFAULT_RATES = [24000, 12000, 6000, 3000, 1500, 750, 375] as const;
export const SYNTH_DEMO_DEFAULTS = { seed: 1, normal: 60, anomaliesPerType: 10, durationSec: 6, difficulty: 0.2 } as const;
export const DEFAULT_SKETCH_NAME = 'tinypdm_detector';
