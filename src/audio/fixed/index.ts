/** Fixed-point Mel front-end: table generator, C header renderer and the bit-exact TS twin of firmware/frontend. */
export { choosePdmRate, PDM_RATES } from './pdm-rate.js';
export type { PdmRate } from './pdm-rate.js';
export { buildFrontEndTables } from './tables.js';
export type { FrontEndSpec, FrontEndTables } from './tables.js';
export { designResampler } from './resampler-design.js';
export type { ResamplerDesign } from './resampler-design.js';
export { frontEndFlashBytes, frontEndStateBytes, stateArrayLengths } from './footprint.js';
export { createFrontEnd } from './front-end.js';
export type { FrontEnd, FrontEndSink } from './front-end.js';
export { fixedFeatures, resampledLength } from './fixed-features.js';
export type { FixedFeatures } from './fixed-features.js';
export { resamplePolyphaseFloat } from './polyphase-float.js';
export { windowsFromDbColumns } from './windows-from-columns.js';
