/** Data: synthetic datasets, dataset listing and splits, clip features and model windows, and the run config they produce. */
export { listDataset, extractClips, stackWindows, defaultCacheDir, type DatasetFiles, type StackedWindows } from './dataset.js';
export {
  resolveFeatureConfig,
  fitNormalization,
  createWindower,
  clipDb,
  NANO_DEFAULTS,
  PAPER_FEATURES,
  type ClipDb,
  type ModelWindows,
} from './features/index.js';
export { splitNormal, type NormalSplit } from './split.js';
export { synthesizeDataset, planDataset, ANOMALY_TYPES, type SynthOptions, type SynthManifest, type AnomalyType } from './synth/index.js';
export * from './run-config.js';
export type { FeatureOverrides } from './features/index.js';
export { wholeClipFrames } from './features/index.js';
export { computeFeatures, listWavFiles, type FeaturesOptions, type FeaturesResult } from './features/compute-features.js';
export * from './datasets/index.js';
