import { tensorSize } from '../../ir/index.js';

/**
 * NumPy-style broadcasting of two shapes (TFLite's BroadcastAdd*DSlow):
 * aligned at the trailing dimension, a dimension of 1 stretches.
 * Returns the output shape, or undefined if the shapes are incompatible.
 */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] | undefined {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return undefined;
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** For each output element, the flat index of the input element it reads. */
export function broadcastIndex(inShape: readonly number[], outShape: readonly number[]): Int32Array {
  const rank = outShape.length;
  const strides = new Array<number>(rank).fill(0);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    const d = inShape[inShape.length - rank + i] ?? 1;
    strides[i] = d === 1 ? 0 : s;
    s *= d;
  }
  const size = tensorSize(outShape);
  const index = new Int32Array(size);
  const idx = new Array<number>(rank).fill(0);
  let at = 0;
  for (let o = 0; o < size; o++) {
    index[o] = at;
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]!++;
      at += strides[d]!;
      if (idx[d]! < outShape[d]!) break;
      at -= strides[d]! * idx[d]!;
      idx[d] = 0;
    }
  }
  return index;
}
