import { fail } from '../../util/index.js';
import type { Graph, Op, TensorData } from '../../ir/index.js';
import { outputAt, perTensorQuant, required, tensorAt, type Kernel, type KernelInputs } from '../kernel.js';
import { clampInt8, multiplyByQuantizedMultiplier, quantizeMultiplier, quantizeValue } from '../math/quant-math.js';

/**
 * QUANTIZE. float → int8 is AffineQuantize: round(x / scale) in float32 plus
 * the zero point, clamped. int8 → int8 is TFLM's Requantize with
 * M = in_s/out_s in double. In a float graph (fake-quant view) it is the identity.
 */

function quantizeInt8(op: Op, graph: Graph, inputs: KernelInputs): TensorData[] {
  const input = tensorAt(graph, op, 0);
  const output = outputAt(graph, op);
  if (output.dtype !== 'int8')
    fail('UNSUPPORTED_OP', `op '${op.name}' (QUANTIZE): output '${output.name}' is ${output.dtype}; only int8 outputs are supported`);
  const outQ = perTensorQuant(output, op);
  const out = new Int8Array(required<TensorData>(inputs, 0, op).length);
  if (input.dtype === 'float32') {
    const x = required<Float32Array>(inputs, 0, op);
    for (let i = 0; i < x.length; i++) out[i] = quantizeValue(x[i]!, outQ.scale, outQ.zeroPoint);
  } else if (input.dtype === 'int8') {
    const inQ = perTensorQuant(input, op);
    const { multiplier, shift } = quantizeMultiplier(inQ.scale / outQ.scale);
    const x = required<Int8Array>(inputs, 0, op);
    for (let i = 0; i < x.length; i++)
      out[i] = clampInt8(multiplyByQuantizedMultiplier(x[i]! - inQ.zeroPoint, multiplier, shift) + outQ.zeroPoint);
  } else {
    fail(
      'UNSUPPORTED_OP',
      `op '${op.name}' (QUANTIZE): input '${input.name}' is ${input.dtype}; only float32 or int8 inputs are supported`,
    );
  }
  return [out];
}

function identity(op: Op, _graph: Graph, inputs: KernelInputs): TensorData[] {
  return [required<Float32Array>(inputs, 0, op).slice()];
}

export const quantize: Kernel = { float: identity, int8: quantizeInt8 };
