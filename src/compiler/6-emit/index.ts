/** Phase 6, emit: every generated file, rendered through one Handlebars path (render.ts): C arrays, the sketch, the front-end tables, the CI workflow and the report. */
export { renderTemplate, bannerContext, type BannerInfo } from './render.js';
export { emitModelData, hexRows, type ModelDataOptions, type ModelDataFiles } from './model-data.js';
export { emitFirmware } from './sketch/firmware.js';
export { PORTABLE_DIR, FRONTEND_TABLES_NAME, cFloat } from './sketch/index.js';
export { renderFrontEndHeader } from './frontend-header.js';
export { renderFirmwareWorkflow, TFLM_LIBRARY_URL, type WorkflowOptions } from './workflow.js';
export * from './report/index.js';
export {
  generateCModel,
  cModelFootprint,
  cModelSteps,
  cModelActivationBytes,
  checkModelName,
  kernelSources,
  DEFAULT_MODEL_NAME,
  KERNEL_TARGETS,
  C_RUNTIME_OPS,
  type CModel,
  type CModelOptions,
  type CModelStepSummary,
  type KernelTarget,
} from './c-model/index.js';
