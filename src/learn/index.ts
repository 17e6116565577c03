/** Learn: the TF.js backend, built-in architectures, the training loop and the `train` job that writes a run folder. */
export { train, CALIBRATION_FILE, THRESHOLD_PERCENTILE, type TrainOptions, type TrainResult } from './train.js';
export { percentileThreshold } from './threshold.js';
export { paperAutoencoder, modelFromLayerList, ARCH_LAYER_TYPES } from './architectures.js';
export { initBackend, type BackendInfo } from './backend.js';
export {
  fitAutoencoder,
  seedInitialWeights,
  type FitData,
  type FitOptions,
  type FitProgress,
  type FitResult,
  type FitStep,
} from './fit.js';
export { floatWindowScores } from './score.js';
export { saveLayersModel, WEIGHTS_FILE } from './save-model.js';
export {
  fitScoring,
  fitErrorModel,
  readErrorModel,
  parsePool,
  parseWindowScore,
  floatWindowErrors,
  floatWindowScoresFor,
  int8WindowScoresFor,
  mahalanobisScorer,
  MSE_SCORER,
  ERROR_MODEL_WINDOWS,
  type WindowScorer,
} from './scoring/index.js';
export { BUILTIN_ARCHITECTURES, builtinArchitecture, frameStackAutoencoder, FRAME_STACK_DEFAULTS } from './architectures.js';
export { augmentBatch, type Augmentation } from './augment.js';
export { trainingBatchSize, inferenceBatchSize } from './batch-memory.js';
export { useStockConv2DBackpropInput } from './backend.js';
