import type { Graph, Op, OpOf } from '../../ir/index.js';
import { allocateFor, outputAt, perTensorQuant, required, tensorAt, type Kernel, type KernelInputs, type TensorQuant } from '../kernel.js';
import { multiplyByQuantizedMultiplier, quantizeMultiplier } from '../math/quant-math.js';

/**
 * LEAKY_RELU as TFLM runs it (micro/kernels/leaky_relu.cc, leaky_relu_common.cc,
 * kernels/internal/reference/leaky_relu.h).
 *
 * float: x > 0 ? x : x·alpha, in float32 (alpha may be above 1 or negative, so no max()).
 *
 * int8: two requantisations chosen per element by the sign of x − in_zp:
 * identity (in_s / out_s) for x − in_zp ≥ 0, alpha (in_s·alpha / out_s) below,
 * each through QuantizeMultiplier and the double-rounding
 * MultiplyByQuantizedMultiplier, plus out_zp, clamped to int8. Prepare
 * (CalculateOpDataLeakyRelu) forms both real multipliers in float32, since the
 * scales and alpha are floats, and only then widens them to double.
 */

function leakyReluFloat(op: Op, graph: Graph, inputs: KernelInputs) {
  const alpha = Math.fround((op as OpOf<'LEAKY_RELU'>).options.alpha);
  const x = required<Float32Array>(inputs, 0, op);
  const out = allocateFor(outputAt(graph, op)) as Float32Array;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    out[i] = v > 0 ? v : v * alpha;
  }
  return [out];
}

/** LeakyReluOpData's two multipliers (CalculateOpDataLeakyRelu): float32 products and quotients, then QuantizeMultiplier. */
export function leakyReluParams(inQ: TensorQuant, outQ: TensorQuant, alpha: number) {
  const inS = Math.fround(inQ.scale);
  const outS = Math.fround(outQ.scale);
  const identity = quantizeMultiplier(Math.fround(inS / outS));
  const negative = quantizeMultiplier(Math.fround(Math.fround(inS * Math.fround(alpha)) / outS));
  return { identity, alpha: negative };
}

function leakyReluInt8(op: Op, graph: Graph, inputs: KernelInputs) {
  const inQ = perTensorQuant(tensorAt(graph, op, 0), op);
  const outQ = perTensorQuant(outputAt(graph, op), op);
  const p = leakyReluParams(inQ, outQ, (op as OpOf<'LEAKY_RELU'>).options.alpha);
  const x = required<Int8Array>(inputs, 0, op);
  const out = new Int8Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]! - inQ.zeroPoint;
    const m = v >= 0 ? p.identity : p.alpha;
    const y = outQ.zeroPoint + multiplyByQuantizedMultiplier(v, m.multiplier, m.shift);
    out[i] = y < -128 ? -128 : y > 127 ? 127 : y;
  }
  return [out];
}

export const leakyRelu: Kernel = { float: leakyReluFloat, int8: leakyReluInt8 };
