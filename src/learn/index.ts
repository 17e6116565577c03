/** Public API of src/train: datasets and features, training, evaluation, the rate sweep, and their building blocks. */
export { train, TRAIN_DEFAULTS, CALIBRATION_FILE, THRESHOLD_PERCENTILE, type TrainOptions, type TrainResult } from './train.js';
export { evaluate, floatWindowScores, int8WindowScores, quantizedGraph, renderEvalMarkdown, PARTIAL_AUC_MAX_FPR } from '../evaluate/evaluate.js';
export type { EvalOptions, EvalReport, EvalResult, Metrics, ClipScore } from '../evaluate/evaluate.js';
export { sweep, SWEEP_DEFAULT_RATES, type SweepOptions, type SweepResult, type SweepRow } from '../experiments/sweep.js';
export { listDataset, extractClips, stackWindows, defaultCacheDir, SYNTH_DEMO_DEFAULTS, type DatasetFiles, type StackedWindows } from '../data/dataset.js';
export { resolveFeatureConfig, fitNormalization, createWindower, clipDb, NANO_DEFAULTS, PAPER_FEATURES, type ClipDb, type ModelWindows } from '../data/features/index.js';
export { percentileThreshold } from './threshold.js';
export { paperAutoencoder, modelFromLayerList, ARCH_LAYER_TYPES } from './architectures.js';
export { initBackend, type BackendInfo } from './backend.js';
export { fitAutoencoder, seedInitialWeights, type FitData, type FitOptions, type FitProgress, type FitResult } from './fit.js';
export { splitNormal, type NormalSplit } from '../data/split.js';
export { createRng, type Rng } from '../util/random.js';
export { synthesizeDataset, planDataset, ANOMALY_TYPES, type SynthOptions, type SynthManifest, type AnomalyType } from '../data/synth/index.js';
export * from '../evaluate/metrics/index.js';
export * from '../evaluate/plot/index.js';
