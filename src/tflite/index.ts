/**
 * TFLite flatbuffers: write the IR as .tflite, read .tflite (untrusted) into
 * the IR, and run a .tflite on the real TensorFlow Lite runtime.
 */
export { writeTflite, TFLITE_SCHEMA_VERSION, type WriteTfliteOptions } from './writer.js';
export { readTflite } from './reader.js';
export {
  createTfliteRunner,
  TFLITE_WASM_HEAP_MAX,
  type TfliteRunner,
  type TfliteTensorInfo,
  type TfliteDType,
  type TfliteTypedArray,
} from './runtime.js';
export { opVersion } from './op-versions.js';
