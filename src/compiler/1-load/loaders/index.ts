export { loadModel, modelFromTfjsFiles, type LoadedModel } from './tfjs-layers.js';
export { fileIOHandler, parseTfjsFiles, readTfjsFiles, resolveModelJson, type TfjsFiles } from './tfjs-files.js';
export { decodeWeights } from './decode-weights.js';
export { loadKerasH5 } from './keras-h5.js';
export { loadKerasV3 } from './keras-v3.js';
export type { KerasModelSource } from './keras-source.js';
