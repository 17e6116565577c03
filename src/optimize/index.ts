/** Public API of src/optimize: calibration, int8 quantisation, and the pruning/clustering passes that run before it. */
export { calibrate, type CalibrateOptions, type Range, type RangeTable } from './calibrate.js';
export { OUTLIER_RATIO } from './range-outliers.js';
export { quantizeInt8, paramsFromRange, type QuantizeOptions } from './quantize-int8.js';
export { buildPasses, runPasses, sharedScaleWeights, type OptimizeOptions, type Pass, type PassContext } from './passes.js';
export { pruneMagnitude, weightTensors, type PruneMagnitudeOptions, type PruneScope } from './prune-magnitude.js';
export { pruneChannels, type PruneChannelsOptions, type ChannelNorm } from './prune-channels.js';
export { clusterWeights, type ClusterOptions, type ClusterInit } from './cluster-weights.js';
export { finetune, type FinetuneOptions } from './finetune.js';
export { readFinetuneData } from './finetune-data.js';
export { fineTuneSchedule, sparsityAt, updatesMaskAt, type PolynomialDecay } from './pruning-schedule.js';
