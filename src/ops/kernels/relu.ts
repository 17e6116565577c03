import { fail } from '../../util/index.js';
import type { Graph, Op } from '../../ir/index.js';
import { allocateFor, outputAt, perTensorQuant, required, tensorAt, type Kernel, type KernelInputs, type TensorQuant } from '../kernel.js';
import { activationRangeInt8, multiplyByQuantizedMultiplier, quantizeMultiplier, roundHalfAwayFromZero } from '../math/quant-math.js';

/**
 * Standalone RELU and RELU6, as TFLM runs them (micro/kernels/activations.cc,
 * activations_common.cc).
 *
 * int8 RELU requantises: out = out_zp + MultiplyByQuantizedMultiplier(x − in_zp,
 * QuantizeMultiplier(in_s / out_s)), clamped to [max(−128, out_zp), 127]
 * (CalculateReluOpData; the bounds are the fused-RELU range of the output).
 *
 * int8 RELU6 does not requantise: Relu6Prepare computes zero = in_zp and
 * six = clamp(round(6 / in_s) + in_zp) from the INPUT params and Eval copies
 * clamp(x, zero, six) into the output. So the output must carry the input's
 * params, or TFLM and full TFLite (which requantises) disagree; the quantiser
 * groups them and this kernel refuses a graph where they differ.
 */

function floatKernel(upper: number) {
  return (op: Op, graph: Graph, inputs: KernelInputs) => {
    const x = required<Float32Array>(inputs, 0, op);
    const out = allocateFor(outputAt(graph, op)) as Float32Array;
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      out[i] = v < 0 ? 0 : v > upper ? upper : v;
    }
    return [out];
  };
}

/** ReluOpData for int8 (CalculateReluOpData<int8_t>): multiplier from in_s / out_s in double. */
export function reluParams(inQ: TensorQuant, outQ: TensorQuant) {
  const { multiplier, shift } = quantizeMultiplier(inQ.scale / outQ.scale);
  const { min, max } = activationRangeInt8('RELU', outQ.scale, outQ.zeroPoint);
  return { multiplier, shift, min, max };
}

function reluInt8(op: Op, graph: Graph, inputs: KernelInputs) {
  const inQ = perTensorQuant(tensorAt(graph, op, 0), op);
  const outQ = perTensorQuant(outputAt(graph, op), op);
  const p = reluParams(inQ, outQ);
  const x = required<Int8Array>(inputs, 0, op);
  const out = new Int8Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = outQ.zeroPoint + multiplyByQuantizedMultiplier(x[i]! - inQ.zeroPoint, p.multiplier, p.shift);
    out[i] = v < p.min ? p.min : v > p.max ? p.max : v;
  }
  return [out];
}

/** Relu6OpData for int8 (Relu6Prepare): FloatToQuantizedType<int8_t>(6, in_s, in_zp) and the zero point. */
export function relu6Bounds(inQ: TensorQuant): { zero: number; six: number } {
  const six = roundHalfAwayFromZero(Math.fround(6 / inQ.scale)) + inQ.zeroPoint;
  return { zero: inQ.zeroPoint, six: six < -128 ? -128 : six > 127 ? 127 : six };
}

function relu6Int8(op: Op, graph: Graph, inputs: KernelInputs) {
  const input = tensorAt(graph, op, 0);
  const output = outputAt(graph, op);
  const inQ = perTensorQuant(input, op);
  const outQ = perTensorQuant(output, op);
  if (inQ.scale !== outQ.scale || inQ.zeroPoint !== outQ.zeroPoint) {
    fail(
      'QUANTIZATION',
      `op '${op.name}' (RELU6): input '${input.name}' (scale ${inQ.scale}, zp ${inQ.zeroPoint}) and output '${output.name}' (scale ${outQ.scale}, zp ${outQ.zeroPoint}) must share quantisation params, because TFLM's int8 RELU6 clamps without requantising; quantise them as one group`,
    );
  }
  const { zero, six } = relu6Bounds(inQ);
  const x = required<Int8Array>(inputs, 0, op);
  const out = new Int8Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    out[i] = v > six ? six : v < zero ? zero : v;
  }
  return [out];
}

export const relu: Kernel = { float: floatKernel(Infinity), int8: reluInt8 };
export const relu6: Kernel = { float: floatKernel(6), int8: relu6Int8 };
