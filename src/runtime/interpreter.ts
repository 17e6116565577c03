import { fail, InternalError } from '../util/index.js';
import { isConstant, tensorSize, type DType, type Graph, type Op, type Tensor, type TensorData } from '../ir/index.js';
import { OP_KINDS, OPS, type Kernel, type KernelFn } from '../ops/index.js';

/**
 * The reference interpreter: runs a Graph op by op in its stored order. An op
 * runs its int8 kernel (bit-exact with TFLM's reference kernels) when any of
 * its activation tensors is int8, else its float kernel.
 */
export interface RunOptions {
  /** Also return every non-constant tensor's value (the quantiser calibrates with it). */
  captureAll?: boolean;
}

export interface RunResult {
  outputs: TensorData[];
  /** Every non-constant tensor by id, when `captureAll` was set. */
  tensors?: Map<number, TensorData>;
}

const ARRAY_DTYPE = new Map<unknown, DType>([
  [Float32Array, 'float32'],
  [Int8Array, 'int8'],
  [Int16Array, 'int16'],
  [Int32Array, 'int32'],
  [Uint8Array, 'uint8'],
  [BigInt64Array, 'int64'],
]);

export function dtypeOfArray(data: TensorData): DType | undefined {
  return ARRAY_DTYPE.get(data.constructor);
}

export function runGraph(graph: Graph, inputs: TensorData[], opts: RunOptions = {}): RunResult {
  const values = new Map<number, TensorData>();
  bindInputs(graph, inputs, values);
  for (const op of graph.ops) {
    const kernel = kernelFor(graph, op);
    const args = op.inputs.map((id) => (id < 0 ? undefined : valueOf(graph, op, id, values)));
    const results = kernel(op, graph, args);
    op.outputs.forEach((id, i) => {
      const t = graph.tensors[id]!;
      const r = results[i];
      if (!r || r.length !== tensorSize(t.shape)) {
        throw new InternalError(
          `op '${op.name}' (${op.kind}) produced ${r?.length ?? 'no'} values for '${t.name}' [${t.shape.join(', ')}]`,
        );
      }
      values.set(id, r);
    });
  }
  const outputs = graph.outputs.map((id) => {
    const v = values.get(id) ?? graph.tensors[id]?.data;
    if (!v) fail('BAD_ARGUMENT', `${graph.name}: output '${graph.tensors[id]?.name ?? id}' is never computed; check the graph's op order`);
    return v;
  });
  return opts.captureAll ? { outputs, tensors: values } : { outputs };
}

function bindInputs(graph: Graph, inputs: TensorData[], values: Map<number, TensorData>): void {
  if (inputs.length !== graph.inputs.length) {
    fail(
      'BAD_ARGUMENT',
      `${graph.name}: expected ${graph.inputs.length} input(s) (${graph.inputs.map((id) => `'${graph.tensors[id]!.name}'`).join(', ')}), got ${inputs.length}`,
    );
  }
  graph.inputs.forEach((id, i) => {
    const t = graph.tensors[id]!;
    const data = inputs[i]!;
    const dtype = dtypeOfArray(data);
    if (dtype !== t.dtype) {
      fail(
        'BAD_ARGUMENT',
        `${graph.name}: input '${t.name}' must be ${t.dtype}, got ${dtype ?? data.constructor.name}; ${t.dtype === 'int8' ? 'quantise it with the input scale and zero point first' : `pass a ${t.dtype} typed array`}`,
      );
    }
    if (data.length !== tensorSize(t.shape)) {
      fail(
        'SHAPE_MISMATCH',
        `${graph.name}: input '${t.name}' has shape [${t.shape.join(', ')}] (${tensorSize(t.shape)} values), got ${data.length} values`,
      );
    }
    values.set(id, data);
  });
}

function valueOf(graph: Graph, op: Op, id: number, values: Map<number, TensorData>): TensorData {
  const v = values.get(id) ?? graph.tensors[id]?.data;
  if (!v) {
    fail(
      'BAD_ARGUMENT',
      `${graph.name}: op '${op.name}' (${op.kind}) reads '${graph.tensors[id]?.name ?? id}' before any op produces it; the ops are not in execution order`,
    );
  }
  return v;
}

/** int8 when any activation (non-constant) input or output is int8; float otherwise. */
function kernelFor(graph: Graph, op: Op): KernelFn {
  const descriptor = OPS[op.kind] as (typeof OPS)[Op['kind']] | undefined;
  if (!descriptor) {
    fail(
      'UNSUPPORTED_OP',
      `${graph.name}: op '${op.name}' is ${String(op.kind)}, which the interpreter has no kernel for; supported: ${OP_KINDS.join(', ')}`,
    );
  }
  const kernel: Kernel = descriptor.kernel;
  const activations: Tensor[] = [...op.inputs, ...op.outputs]
    .filter((id) => id >= 0)
    .map((id) => graph.tensors[id]!)
    .filter((t) => t && !isConstant(t));
  if (activations.some((t) => t.dtype === 'int8')) return kernel.int8;
  const unsupported = activations.find((t) => t.dtype !== 'float32');
  if (unsupported) {
    fail(
      'UNSUPPORTED_OP',
      `${graph.name}: op '${op.name}' (${op.kind}) has ${unsupported.dtype} tensor '${unsupported.name}'; the interpreter runs float32 and int8 activations only`,
    );
  }
  return kernel.float;
}
