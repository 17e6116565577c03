/**
 * The compiler: a trained model in, an int8 TFLite flatbuffer, its C array,
 * the report and the board's sketch out. Phases, in order, in the numbered
 * folders; `compile()` (compile.ts) reads as them.
 */
export { compile, emit, type CompileOptions, type Compiled, type EmitOptions, type EmitResult, type AucScorer } from './compile.js';
export { validateGraph } from './1-load/index.js';
export {
  loadAnyModel,
  readTflite,
  loadModel,
  fileIOHandler,
  SUPPORTED_LAYERS,
  type SourceModel,
  type ModelFormat,
} from './1-load/index.js';
export { buildPasses, runPasses, type OptimizeOptions } from './2-optimize/index.js';
export { calibrate, quantizeInt8, type RangeTable } from './3-quantize/index.js';
export { estimateArena, planFirmware, budget, checkSketchName, type ArenaEstimate, type Budget } from './4-plan/index.js';
export { writeTflite, opVersion } from './5-serialize/index.js';
export { buildReport, emitModelData, renderFirmwareWorkflow, type EmitReport, type AucComparison } from './6-emit/index.js';
export { checkClusterCount } from './2-optimize/index.js';
export { checkSparsity } from './2-optimize/index.js';
export { checkChannelFraction } from './2-optimize/index.js';
export { opStats } from './6-emit/index.js';
export { cModelSteps, generateCModel, type CModel } from './6-emit/index.js';
export { DEFAULT_SKETCH_RUNTIME, type SketchRuntime } from './4-plan/index.js';
