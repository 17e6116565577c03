import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { GraphBuilder } from '../../src/ir/builder.js';
import { tensorSize, type Graph, type OpKind, type OpOptionsByKind, type QuantParams, type TensorData } from '../../src/ir/graph.js';
import { mulberry32 } from '../helpers/random.js';

/** Deterministic PRNG so every test graph is reproducible from its seed. */
export const rng = mulberry32;

export const randInt = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

export function randomInt8(r: () => number, n: number, lo = -128, hi = 127): Int8Array {
  const a = new Int8Array(n);
  for (let i = 0; i < n; i++) a[i] = randInt(r, lo, hi);
  return a;
}

export const perTensor = (scale: number, zeroPoint: number): QuantParams => ({ scale: [scale], zeroPoint: [zeroPoint], axis: 0 });

/** Random activation params: scale in [0.005, 0.1), zero point in [-100, 100]. */
export function randomActQuant(r: () => number): QuantParams {
  return perTensor(Math.fround(0.005 + r() * 0.095), randInt(r, -100, 100));
}

/** Symmetric per-channel int8 weights (zero point 0, values in [-127, 127]). */
export function randomWeights(r: () => number, shape: number[], axis: number): { data: Int8Array; quant: QuantParams } {
  const channels = shape[axis]!;
  const scale = Array.from({ length: channels }, () => Math.fround(0.002 + r() * 0.03));
  return { data: randomInt8(r, tensorSize(shape), -127, 127), quant: { scale, zeroPoint: scale.map(() => 0), axis } };
}

export function randomBias(
  r: () => number,
  inScale: number,
  wScales: number[],
  channels: number,
): { data: Int32Array; quant: QuantParams } {
  const scale = Array.from({ length: channels }, (_, c) => inScale * (wScales.length === 1 ? wScales[0]! : wScales[c]!));
  const data = new Int32Array(channels);
  for (let c = 0; c < channels; c++) data[c] = randInt(r, -3000, 3000);
  return { data, quant: { scale, zeroPoint: scale.map(() => 0), axis: 0 } };
}

/** A one-op graph: `inputs` are tensor ids already added to `b`; the output gets `outQuant` (or float). */
export function singleOp<K extends OpKind>(
  b: GraphBuilder,
  kind: K,
  inputs: number[],
  outShape: number[],
  outQuant: QuantParams | undefined,
  options: OpOptionsByKind[K],
  outDtype: 'int8' | 'float32' = 'int8',
): Graph {
  const out = b.addTensor('out', outShape, outDtype, undefined, outQuant);
  b.addOp(kind, `${kind.toLowerCase()}_0`, inputs, [out], options);
  b.inputs = inputs.filter((id) => id >= 0 && b.tensor(id).data === undefined);
  b.outputs = [out];
  return b.build();
}

/**
 * The float graph an int8 graph stands for: every int8 tensor becomes float32,
 * int8 weights and int32 biases are dequantised (per channel along their axis).
 */
export function dequantizeGraph(g: Graph): Graph {
  return {
    ...g,
    tensors: g.tensors.map((t) => {
      const quantised =
        t.quant && (t.dtype === 'int8' || (t.dtype === 'int32' && t.data !== undefined && t.quant.scale.length > 0 && isBias(g, t.id)));
      if (!quantised) return { ...t };
      const copy = { id: t.id, name: t.name, shape: [...t.shape], dtype: 'float32' as const };
      if (t.data === undefined) return copy;
      return { ...copy, data: dequantizeArray(t.data as Int8Array | Int32Array, t.shape, t.quant!) };
    }),
  };
}

function isBias(g: Graph, id: number): boolean {
  return g.ops.some((op) => {
    const biasIndex =
      op.kind === 'TRANSPOSE_CONV' ? 3 : op.kind === 'CONV_2D' || op.kind === 'DEPTHWISE_CONV_2D' || op.kind === 'FULLY_CONNECTED' ? 2 : -1;
    return biasIndex >= 0 && op.inputs[biasIndex] === id;
  });
}

export function dequantizeArray(data: ArrayLike<number>, shape: number[], q: QuantParams): Float32Array {
  const channels = q.scale.length;
  const inner = channels === 1 ? 1 : shape.slice(q.axis + 1).reduce((p, d) => p * d, 1);
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const c = channels === 1 ? 0 : Math.floor(i / inner) % channels;
    out[i] = Math.fround(q.scale[c]!) * (data[i]! - q.zeroPoint[Math.min(c, q.zeroPoint.length - 1)]!);
  }
  return out;
}

/** Output params covering a float result's range (TFLite's min/max recipe, zero included). */
export function quantFor(values: ArrayLike<number>): QuantParams {
  let min = 0;
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    min = Math.min(min, values[i]!);
    max = Math.max(max, values[i]!);
  }
  const scale = Math.fround(max - min > 1e-9 ? (max - min) / 255 : 1 / 255);
  return perTensor(scale, Math.max(-128, Math.min(127, Math.round(-128 - min / scale))));
}

export interface ReferenceCase {
  op: OpKind;
  inputs: { shape: number[]; data: number[] }[];
  options: unknown;
}

/** Runs test/runtime/reference_ops.py (numpy) on a batch of float cases. */
export function numpyReference(cases: ReferenceCase[]): number[][] {
  const script = fileURLToPath(new URL('./reference_ops.py', import.meta.url));
  const out = execFileSync('/usr/bin/python3', [script], { input: JSON.stringify(cases), maxBuffer: 1 << 28 });
  return JSON.parse(out.toString()) as number[][];
}

export function toNumbers(d: TensorData): number[] {
  return Array.from(d as ArrayLike<number>, Number);
}
