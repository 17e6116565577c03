import { fail } from '../util/index.js';
import { tensorSize, type DType, type Graph, type Op, type Tensor, type TensorData } from '../ir/index.js';

/**
 * The shape every op kernel has. `inputs` is aligned with `op.inputs`
 * (undefined where the op has -1 for an absent optional input); constants
 * arrive as their data. A kernel returns one array per `op.outputs`, freshly
 * allocated, typed after the output tensor's dtype.
 */
export type KernelInputs = ReadonlyArray<TensorData | undefined>;
export type KernelFn = (op: Op, graph: Graph, inputs: KernelInputs) => TensorData[];

export interface Kernel {
  /** float32 activations: calibration and float evaluation. */
  float: KernelFn;
  /** int8 activations: bit-exact with TFLM's reference kernels. */
  int8: KernelFn;
}

/** Per-tensor affine params as TFLM sees them: the scale rounded to float32. */
export interface TensorQuant {
  scale: number;
  zeroPoint: number;
}

export function tensorAt(graph: Graph, op: Op, inputIndex: number): Tensor {
  const id = op.inputs[inputIndex];
  const t = id === undefined || id < 0 ? undefined : graph.tensors[id];
  if (!t) fail('BAD_ARGUMENT', `${graph.name}: op '${op.name}' (${op.kind}) has no input ${inputIndex}; check the graph's op inputs`);
  return t;
}

export function outputAt(graph: Graph, op: Op, outputIndex = 0): Tensor {
  const t = graph.tensors[op.outputs[outputIndex] ?? -1];
  if (!t) fail('BAD_ARGUMENT', `${graph.name}: op '${op.name}' (${op.kind}) has no output ${outputIndex}; check the graph's op outputs`);
  return t;
}

/** The data of a required input; the interpreter guarantees presence for wired inputs. */
export function required<T extends TensorData>(inputs: KernelInputs, index: number, op: Op): T {
  const d = inputs[index];
  if (d === undefined) fail('BAD_ARGUMENT', `op '${op.name}' (${op.kind}) is missing required input ${index}`);
  return d as T;
}

/** Per-tensor params of an int8 tensor (TFLM: quantised only when both vectors are non-empty). */
export function perTensorQuant(t: Tensor, op: Op): TensorQuant {
  const q = t.quant;
  if (!q || q.scale.length === 0 || q.zeroPoint.length === 0) {
    fail(
      'QUANTIZATION',
      `op '${op.name}' (${op.kind}): tensor '${t.name}' is ${t.dtype} but has no quantisation params; re-run the int8 quantiser`,
    );
  }
  return { scale: Math.fround(q.scale[0]!), zeroPoint: q.zeroPoint[0]! };
}

/** Weight scales, one per output channel (or one, for per-tensor), rounded to float32. */
export function channelScales(t: Tensor, channels: number, op: Op): Float64Array {
  const q = t.quant;
  if (!q || q.scale.length === 0) {
    fail('QUANTIZATION', `op '${op.name}' (${op.kind}): weights '${t.name}' have no quantisation params; re-run the int8 quantiser`);
  }
  if (q.scale.length !== 1 && q.scale.length !== channels) {
    fail(
      'QUANTIZATION',
      `op '${op.name}' (${op.kind}): weights '${t.name}' have ${q.scale.length} scales for ${channels} output channels; expected 1 or ${channels}`,
    );
  }
  const out = new Float64Array(channels);
  for (let c = 0; c < channels; c++) out[c] = Math.fround(q.scale.length === 1 ? q.scale[0]! : q.scale[c]!);
  return out;
}

export function allocate(dtype: DType, length: number): TensorData {
  switch (dtype) {
    case 'float32':
      return new Float32Array(length);
    case 'int8':
      return new Int8Array(length);
    case 'int16':
      return new Int16Array(length);
    case 'int32':
      return new Int32Array(length);
    case 'uint8':
      return new Uint8Array(length);
    case 'int64':
      return new BigInt64Array(length);
  }
}

export function allocateFor(t: Tensor): TensorData {
  return allocate(t.dtype, tensorSize(t.shape));
}

/** Fails with SHAPE_MISMATCH unless the graph's declared shape equals what the op computes or requires. */
export function expectShape(op: Op, t: Tensor, expected: readonly number[]): void {
  if (t.shape.length !== expected.length || t.shape.some((d, i) => d !== expected[i])) {
    fail(
      'SHAPE_MISMATCH',
      `op '${op.name}' (${op.kind}): tensor '${t.name}' is declared [${t.shape.join(', ')}] but the op needs [${expected.join(', ')}]; fix the shape inference that built the graph`,
    );
  }
}

export function expectRank(op: Op, t: Tensor, rank: number): void {
  if (t.shape.length !== rank) {
    fail('SHAPE_MISMATCH', `op '${op.name}' (${op.kind}): tensor '${t.name}' has shape [${t.shape.join(', ')}], expected rank ${rank}`);
  }
}
