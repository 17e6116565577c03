import { fail } from '../../util/index.js';
import type { Graph, Op } from '../../ir/index.js';
import { allocateFor, outputAt, perTensorQuant, required, tensorAt, type Kernel, type KernelInputs } from '../kernel.js';
import { fpLogistic } from '../math/fixed-point.js';
import { frexp, multiplyByQuantizedMultiplier, roundHalfAwayFromZero, roundingDivideByPOT } from '../math/quant-math.js';

/**
 * LOGISTIC. The int8 kernel is TFLM's reference_integer_ops::Logistic
 * (logistic_common.cc): x − in_zp is rescaled into a 4-integer-bit fixed
 * point by in_s·2^27 and fed to gemmlowp's logistic; inputs beyond the
 * radius saturate to −128/127. Output scale 1/256, zero point −128.
 */

const INPUT_INTEGER_BITS = 4;

export function logisticParams(inputScale: number) {
  const real = inputScale * 2 ** (31 - INPUT_INTEGER_BITS);
  const { fraction, exponent } = frexp(real);
  // TFLM casts round(q·2^31) to int32 without the 2^31 guard QuantizeMultiplier
  // has; Arm's float→int conversion saturates, so 2^31 becomes INT32_MAX.
  const multiplier = Math.min(2147483647, roundHalfAwayFromZero(fraction * 2 ** 31));
  const radius = Math.floor((((1 << INPUT_INTEGER_BITS) - 1) * 2 ** (31 - INPUT_INTEGER_BITS)) / 2 ** exponent);
  return { multiplier, leftShift: exponent, radius };
}

function logisticFloat(op: Op, graph: Graph, inputs: KernelInputs) {
  const x = required<Float32Array>(inputs, 0, op);
  const out = allocateFor(outputAt(graph, op)) as Float32Array;
  for (let i = 0; i < x.length; i++) out[i] = 1 / (1 + Math.exp(-x[i]!));
  return [out];
}

function logisticInt8(op: Op, graph: Graph, inputs: KernelInputs) {
  const inQ = perTensorQuant(tensorAt(graph, op, 0), op);
  const output = outputAt(graph, op);
  const outQ = perTensorQuant(output, op);
  if (outQ.zeroPoint !== -128 || outQ.scale !== 1 / 256) {
    fail(
      'QUANTIZATION',
      `op '${op.name}' (LOGISTIC): int8 output '${output.name}' must have scale 1/256 and zero point -128 (has ${outQ.scale}, ${outQ.zeroPoint})`,
    );
  }
  const p = logisticParams(inQ.scale);
  const x = required<Int8Array>(inputs, 0, op);
  const out = new Int8Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const input = x[i]! - inQ.zeroPoint;
    if (input <= -p.radius) out[i] = -128;
    else if (input >= p.radius) out[i] = 127;
    else {
      const inQ4 = multiplyByQuantizedMultiplier(input, p.multiplier, p.leftShift);
      const v = roundingDivideByPOT(fpLogistic(inQ4, INPUT_INTEGER_BITS), 31 - 8) - 128;
      out[i] = v < -128 ? -128 : v > 127 ? 127 : v;
    }
  }
  return [out];
}

export const logistic: Kernel = { float: logisticFloat, int8: logisticInt8 };
