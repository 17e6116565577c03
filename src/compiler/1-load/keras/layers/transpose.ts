/**
 * Permutes a dense row-major tensor: out[i_perm[0], ..., i_perm[n-1]] = in[i_0, ..., i_{n-1}],
 * i.e. output axis k is input axis perm[k] (numpy's `transpose(perm)`).
 */
export function transpose(data: Float32Array, shape: readonly number[], perm: readonly number[]): { data: Float32Array; shape: number[] } {
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = strides(shape);
  const permStrides = perm.map((p) => inStrides[p]!);
  const out = new Float32Array(data.length);
  const index = new Array<number>(outShape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let k = 0; k < index.length; k++) src += index[k]! * permStrides[k]!;
    out[o] = data[src]!;
    for (let k = index.length - 1; k >= 0; k--) {
      if (++index[k]! < outShape[k]!) break;
      index[k] = 0;
    }
  }
  return { data: out, shape: outShape };
}

function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let k = shape.length - 2; k >= 0; k--) s[k] = s[k + 1]! * shape[k + 1]!;
  return s;
}
