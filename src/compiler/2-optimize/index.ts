/** Phase 2, optimise: passes on the float graph before quantisation (structured and magnitude pruning, clustering, fine-tuning). */
export { buildPasses, runPasses, sharedScaleWeights, type OptimizeOptions, type Pass, type PassContext } from './passes.js';
export { pruneMagnitude, weightTensors, type PruneMagnitudeOptions, type PruneScope } from './prune-magnitude.js';
export { pruneChannels, type PruneChannelsOptions, type ChannelNorm } from './prune-channels.js';
export { clusterWeights, type ClusterOptions, type ClusterInit } from './cluster-weights.js';
export { finetune, type FinetuneOptions } from './finetune.js';
export { readFinetuneData } from './finetune-data.js';
export { fineTuneSchedule, sparsityAt, updatesMaskAt, type PolynomialDecay } from './pruning-schedule.js';
export { checkClusterCount } from './cluster-weights.js';
export { checkSparsity } from './prune-magnitude.js';
export { checkChannelFraction } from './prune-channels.js';
