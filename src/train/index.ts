/** Public API of src/train: datasets and features, training, evaluation, the rate sweep, and their building blocks. */
export { train, TRAIN_DEFAULTS, CALIBRATION_FILE, THRESHOLD_PERCENTILE, type TrainOptions, type TrainResult } from './train.js';
export { evaluate, floatWindowScores, int8WindowScores, quantizedGraph, renderEvalMarkdown, PARTIAL_AUC_MAX_FPR } from './evaluate.js';
export type { EvalOptions, EvalReport, EvalResult, EvalDataset, Metrics, ClipScore } from './evaluate.js';
export { sweep, SWEEP_DEFAULT_RATES, type SweepOptions, type SweepResult, type SweepRow } from './sweep.js';
export { listDataset, extractClips, stackWindows, defaultCacheDir, SYNTH_DEMO_DEFAULTS, type DatasetFiles, type StackedWindows } from './dataset.js';
export { resolveFeatureConfig, fitNormalization, createWindower, clipDb, NANO_DEFAULTS, PAPER_FEATURES, type ClipDb, type ModelWindows } from './features/index.js';
export { percentileThreshold } from './threshold.js';
export { paperAutoencoder, modelFromLayerList, ARCH_LAYER_TYPES } from './architectures.js';
export { initBackend, type BackendInfo } from './backend.js';
export { fitAutoencoder, seedInitialWeights, type FitData, type FitOptions, type FitProgress, type FitResult } from './fit.js';
export { splitNormal, type NormalSplit } from './split.js';
export { readDataset, planSplit, type DatasetDescription, type DatasetOptions, type DatasetLayout, type PlannedSplit } from './datasets/index.js';
export { createRng, type Rng } from './random.js';
export { synthesizeDataset, planDataset, ANOMALY_TYPES, type SynthOptions, type SynthManifest, type AnomalyType } from './synth/index.js';
export * from './metrics/index.js';
export * from './plot/index.js';
