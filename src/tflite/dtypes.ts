import type { DType, TensorData } from '../ir/index.js';
import { TensorType } from './schema/generated/tflite_subset_generated.js';

/** IR dtype <-> TFLite TensorType, and the typed array each dtype's constants live in. */
export const DTYPE_TO_TFLITE: Record<DType, TensorType> = {
  float32: TensorType.FLOAT32,
  int32: TensorType.INT32,
  uint8: TensorType.UINT8,
  int64: TensorType.INT64,
  int16: TensorType.INT16,
  int8: TensorType.INT8,
};

const TFLITE_TO_DTYPE = new Map<number, DType>(Object.entries(DTYPE_TO_TFLITE).map(([d, t]) => [t, d as DType]));

export function dtypeFromTflite(type: number): DType | undefined {
  return TFLITE_TO_DTYPE.get(type);
}

export function tensorTypeName(type: number): string {
  return TensorType[type] ?? `type ${type}`;
}

/** Copies little-endian bytes into a fresh typed array of `dtype` (the copy also fixes alignment). */
export function typedArrayFromBytes(dtype: DType, bytes: Uint8Array): TensorData {
  const copy = bytes.slice().buffer;
  switch (dtype) {
    case 'float32':
      return new Float32Array(copy);
    case 'int32':
      return new Int32Array(copy);
    case 'int16':
      return new Int16Array(copy);
    case 'int8':
      return new Int8Array(copy);
    case 'uint8':
      return new Uint8Array(copy);
    case 'int64':
      return new BigInt64Array(copy);
  }
}

/** The little-endian bytes of a constant, as stored in a TFLite buffer. */
export function bytesOfTypedArray(data: TensorData): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
