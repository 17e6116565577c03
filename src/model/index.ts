/** Public API of src/model: the IR, its builder, and the model loaders. */
export * from './ir.js';
export { GraphBuilder, cloneGraph } from './builder.js';
export { loadModel, saveLayersModel, fileIOHandler, type LoadedModel } from './loaders/index.js';
export { SUPPORTED_LAYERS, SUPPORTED_ACTIVATIONS, flattenModel, unwrapTopology, lowerKerasModel, WeightStore, type NamedWeight } from './keras/index.js';
export { validateGraph, OP_RULES } from './validate/index.js';
