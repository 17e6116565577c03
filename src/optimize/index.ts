/** Public API of src/optimize: calibration, int8 quantisation, and the pruning/clustering passes that run before it. */
export { calibrate, type Range, type RangeTable } from './calibrate.js';
export { quantizeInt8, paramsFromRange, type QuantizeOptions } from './quantize-int8.js';
export { buildPasses, runPasses, type OptimizeOptions, type Pass, type PassContext } from './passes.js';
export { pruneMagnitude, weightTensors, type PruneMagnitudeOptions, type PruneScope } from './prune-magnitude.js';
export { pruneChannels, type PruneChannelsOptions, type ChannelNorm } from './prune-channels.js';
export { clusterWeights, type ClusterOptions, type ClusterInit } from './cluster-weights.js';
export { finetune, readFinetuneData, type FinetuneOptions } from './finetune.js';
