/**
 * TFLite flatbuffers: write the IR as .tflite, read .tflite (untrusted) into
 * the IR, and run a .tflite on the real TensorFlow Lite runtime.
 */
export { writeTflite, TFLITE_SCHEMA_VERSION, type WriteTfliteOptions } from '../compiler/5-serialize/writer.js';
export { readTflite } from '../compiler/1-load/tflite/reader.js';
export { createTfliteRunner, type TfliteRunner, type TfliteTensorInfo, type TfliteDType, type TfliteTypedArray } from './runtime.js';
export { opVersion } from '../compiler/5-serialize/op-versions.js';
