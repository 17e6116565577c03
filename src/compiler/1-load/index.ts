/** Phase 1, load: detect a model file's format by content, read it (untrusted) and lower it to the float or int8 IR. */
export { loadAnyModel, detectFormat, type SourceModel, type ModelFormat } from './load-any.js';
export { readTflite } from './tflite/reader.js';
export { loadModel, fileIOHandler, type LoadedModel } from './loaders/index.js';
export {
  SUPPORTED_LAYERS,
  SUPPORTED_ACTIVATIONS,
  flattenModel,
  unwrapTopology,
  lowerKerasModel,
  WeightStore,
  type NamedWeight,
} from './keras/index.js';
export { validateGraph } from './validate/index.js';
