/** Code generation: templates, the model as a C array, and TFLM arena sizing. */
export { renderTemplate, bannerContext, type BannerInfo } from './render.js';
export { emitModelData, hexRows, type ModelDataOptions, type ModelDataFiles } from './model-data.js';
export {
  planArena,
  estimateArena,
  greedyPlan,
  tensorLifetimes,
  findOverlaps,
  findInPlaceOps,
  scratchRequests,
  ARENA_TARGETS,
  ARENA_ALIGNMENT,
  type ArenaPlan,
  type PlannedBuffer,
  type PlanOptions,
  type ArenaEstimate,
  type ArenaTarget,
  type BufferRequest,
} from '../4-plan/arena/index.js';
