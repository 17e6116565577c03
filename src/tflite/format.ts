/** Model.version; the only schema version TFLite and TFLM accept (schema.fbs). */
export const TFLITE_SCHEMA_VERSION = 3;
/** The flatbuffer file identifier at bytes 4..7 of every .tflite file. */
export const TFLITE_FILE_IDENTIFIER = 'TFL3';
