/** Training features: dataset listing, cached dB columns, the fitted normalisation and the model windows. */
export { listDataset, type DatasetFiles } from './dataset-files.js';
export {
  resolveFeatureConfig,
  wholeClipFrames,
  NANO_DEFAULTS,
  PAPER_FEATURES,
  REFERENCE_CLIP_SECONDS,
  type FeatureOverrides,
  type ResolvedFeatures,
} from './feature-config.js';
export { clipDb, extractClip, type ClipDb, type ClipDbOptions } from './clip-db.js';
export { fitNormalization } from './normalize.js';
export { createWindower, windowStarts, dequantize, type ModelWindows } from './windows.js';
