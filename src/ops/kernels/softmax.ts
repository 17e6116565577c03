import { fail } from '../../util/index.js';
import type { Graph, Op, OpOf } from '../../ir/index.js';
import { allocateFor, outputAt, perTensorQuant, required, tensorAt, type Kernel, type KernelInputs } from '../kernel.js';
import { expOnNegativeValues, fpMul, fpRescale, getReciprocal } from '../math/fixed-point.js';
import { quantizeMultiplier, roundingDivideByPOT, saturatingRoundingDoublingHighMul } from '../math/quant-math.js';

/**
 * SOFTMAX over the last axis. The int8 kernel is TFLM's reference_ops::Softmax
 * (int8 → int8, output scale 1/256, zero point −128), in gemmlowp fixed point:
 * differences to the row max are rescaled by β·in_s into a 5-integer-bit
 * format, exponentiated, summed with 12 integer bits, and multiplied by the
 * reciprocal of the sum. Differences below diff_min contribute 0.
 */

const SCALED_DIFF_INTEGER_BITS = 5;
const ACCUMULATION_INTEGER_BITS = 12;

/** PreprocessSoftmaxScaling + CalculateInputRadius (double-rounding build). */
export function softmaxParams(beta: number, inputScale: number) {
  const real = Math.min(Math.fround(beta) * inputScale * 2 ** (31 - SCALED_DIFF_INTEGER_BITS), 2 ** 31 - 1);
  const { multiplier, shift } = quantizeMultiplier(real);
  const maxInputRescaled = (((1 << SCALED_DIFF_INTEGER_BITS) - 1) * 2 ** (31 - SCALED_DIFF_INTEGER_BITS)) / 2 ** shift;
  return { multiplier, leftShift: shift, diffMin: -Math.floor(maxInputRescaled) };
}

function rows(op: Op, graph: Graph) {
  const input = tensorAt(graph, op, 0);
  const depth = input.shape[input.shape.length - 1] ?? 1;
  const size = input.shape.reduce((p, d) => p * d, 1);
  return { depth, outer: depth === 0 ? 0 : size / depth };
}

function softmaxFloat(op: Op, graph: Graph, inputs: KernelInputs) {
  const beta = (op as OpOf<'SOFTMAX'>).options.beta;
  const { depth, outer } = rows(op, graph);
  const x = required<Float32Array>(inputs, 0, op);
  const out = allocateFor(outputAt(graph, op)) as Float32Array;
  for (let r = 0; r < outer; r++) {
    let max = -Infinity;
    for (let c = 0; c < depth; c++) max = Math.max(max, x[r * depth + c]!);
    let sum = 0;
    for (let c = 0; c < depth; c++) sum += Math.exp((x[r * depth + c]! - max) * beta);
    for (let c = 0; c < depth; c++) out[r * depth + c] = Math.exp((x[r * depth + c]! - max) * beta) / sum;
  }
  return [out];
}

function softmaxInt8(op: Op, graph: Graph, inputs: KernelInputs) {
  const inQ = perTensorQuant(tensorAt(graph, op, 0), op);
  const output = outputAt(graph, op);
  const outQ = perTensorQuant(output, op);
  if (outQ.zeroPoint !== -128 || outQ.scale !== 1 / 256) {
    fail(
      'QUANTIZATION',
      `op '${op.name}' (SOFTMAX): int8 output '${output.name}' must have scale 1/256 and zero point -128 (has ${outQ.scale}, ${outQ.zeroPoint}); TFLM rejects anything else`,
    );
  }
  const p = softmaxParams((op as OpOf<'SOFTMAX'>).options.beta, inQ.scale);
  const { depth, outer } = rows(op, graph);
  const x = required<Int8Array>(inputs, 0, op);
  const out = new Int8Array(outer * depth);
  const exps = new Int32Array(depth);
  const shiftUnit = 1 << p.leftShift;
  for (let r = 0; r < outer; r++) {
    const base = r * depth;
    let max = -128;
    for (let c = 0; c < depth; c++) max = Math.max(max, x[base + c]!);
    let sumOfExps = 0;
    for (let c = 0; c < depth; c++) {
      const diff = x[base + c]! - max;
      if (diff >= p.diffMin) {
        // MultiplyByQuantizedMultiplierGreaterThanOne: the left shift is an int32 multiply.
        const rescaled = saturatingRoundingDoublingHighMul(Math.imul(diff, shiftUnit), p.multiplier);
        exps[c] = expOnNegativeValues(rescaled, SCALED_DIFF_INTEGER_BITS);
        sumOfExps = (sumOfExps + fpRescale(exps[c]!, 0, ACCUMULATION_INTEGER_BITS)) | 0;
      }
    }
    const { reciprocal, numBitsOverUnit } = getReciprocal(sumOfExps, ACCUMULATION_INTEGER_BITS);
    const exponent = numBitsOverUnit + 31 - 8;
    for (let c = 0; c < depth; c++) {
      const diff = x[base + c]! - max;
      if (diff >= p.diffMin) {
        const unsat = roundingDivideByPOT(fpMul(reciprocal, exps[c]!), exponent);
        const v = unsat - 128;
        out[base + c] = v < -128 ? -128 : v > 127 ? 127 : v;
      } else {
        out[base + c] = -128;
      }
    }
  }
  return [out];
}

export const softmax: Kernel = { float: softmaxFloat, int8: softmaxInt8 };
