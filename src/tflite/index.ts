/**
 * The TFLite file format, below every stage that reads or writes it: the
 * schema (generated from our subset .fbs), its constants and dtypes, and the
 * real TensorFlow Lite runtime that checks what we write.
 */
export { TFLITE_FILE_IDENTIFIER, TFLITE_SCHEMA_VERSION } from './format.js';
export { DTYPE_TO_TFLITE, dtypeFromTflite, tensorTypeName, typedArrayFromBytes, bytesOfTypedArray } from './dtypes.js';
export { activationBytes, constantBytes, runnerBytes, checkRunMemory, HEAP_GROWTH, type RunMemory } from './runner-memory.js';
export { TFLITE_WASM_HEAP_MAX } from './runtime.js';
export { createTfliteRunner, type TfliteRunner, type TfliteTensorInfo, type TfliteDType, type TfliteTypedArray } from './runtime.js';
export * from './schema/generated/tflite_subset_generated.js';
