/** TFLM tensor-arena sizing: the greedy head planner and the persistent tail. */
export { greedyPlan, type BufferRequest, type GreedyPlan } from './greedy-planner.js';
export { planArena, tensorLifetimes, findOverlaps, findInPlaceOps, type ArenaPlan, type PlannedBuffer, type PlanOptions } from './plan.js';
export { estimateArena, type ArenaEstimate } from './estimate.js';
export { scratchRequests } from './scratch.js';
export { ARENA_TARGETS, ARENA_ALIGNMENT, type ArenaTarget } from './target.js';
export { planCModel, C_MODEL_ALIGNMENT, type CModelPlan, type CPlanInput, type CPlanStep, type CPlacement } from './c-model-planner.js';
