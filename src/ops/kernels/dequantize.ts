import { fail } from '../../util/index.js';
import type { Graph, Op, TensorData } from '../../ir/index.js';
import { outputAt, perTensorQuant, required, tensorAt, type Kernel, type KernelInputs } from '../kernel.js';
import { dequantizeValue } from '../math/quant-math.js';

/**
 * DEQUANTIZE int8 → float32: float(double(scale)·(q − zp)), as TFLM's
 * reference Dequantize. In a float graph (fake-quant view) it is the identity.
 */

function dequantizeInt8(op: Op, graph: Graph, inputs: KernelInputs): TensorData[] {
  const input = tensorAt(graph, op, 0);
  const output = outputAt(graph, op);
  if (input.dtype !== 'int8' || output.dtype !== 'float32') {
    fail('UNSUPPORTED_OP', `op '${op.name}' (DEQUANTIZE): ${input.dtype} → ${output.dtype} is not supported; only int8 → float32`);
  }
  const q = perTensorQuant(input, op);
  const x = required<Int8Array>(inputs, 0, op);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = dequantizeValue(x[i]!, q.scale, q.zeroPoint);
  return [out];
}

function identity(op: Op, _graph: Graph, inputs: KernelInputs): TensorData[] {
  return [required<Float32Array>(inputs, 0, op).slice()];
}

export const dequantize: Kernel = { float: identity, int8: dequantizeInt8 };
