/** Keras JSON config → float32 IR. Shared by every loader that carries a Keras config (TF.js Layers, .h5, .keras). */
export { flattenModel, unwrapTopology, type FlatInput, type FlatLayer, type FlatModel } from './flatten.js';
export { lowerKerasModel } from './lower.js';
export { WeightStore, type NamedWeight } from './weights.js';
export { SUPPORTED_LAYERS } from './layers/index.js';
export { SUPPORTED_ACTIVATIONS } from './activation.js';
