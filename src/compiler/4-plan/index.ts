/** Phase 4, plan: the TFLM tensor arena, the C runtime's activation buffer, the board's RAM/flash budget, and inputs that would fit. */
export * from './arena/index.js';
export {
  budget,
  tflmFlashEstimate,
  cRuntimeFlashEstimate,
  type Budget,
  type BudgetParts,
  type BudgetRow,
  type BudgetSide,
} from './budget.js';
export { checkFit, suggestInputs, formatBytes, type FitInput, type InputSuggestion } from './fit.js';
export { scaleGraphInput } from './scale-input.js';
export { planFirmware, type FirmwarePlan, type FirmwarePlanInput } from './firmware.js';
export {
  planSketch,
  sketchBufferBytes,
  checkSketchName,
  distinctOps,
  ARENA_MARGIN_BYTES,
  RING_SECONDS,
  type SketchPlan,
  type SketchPlanInput,
} from './sketch-plan.js';
export { DEFAULT_SKETCH_RUNTIME, type SketchRuntime, type CModelFootprint } from './sketch-runtime.js';
export { planScoring, scoringRamBytes, scoringFlashBytes, type SketchScoring } from './score-plan.js';
