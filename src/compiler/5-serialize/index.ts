/** Phase 5, serialise: the int8 (or float) IR as a TFLite flatbuffer. */
export { writeTflite, type WriteTfliteOptions } from './writer.js';
export { opVersion } from './op-versions.js';
export { checkRuntimeAccepts } from './runtime-accepts.js';
