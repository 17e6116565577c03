import type { Op } from '../../../../ir/index.js';
import { relu6Bounds } from '../../../../ops/index.js';
import { cStruct } from '../literals.js';
import type { EmitContext, Step } from '../types.js';
import { input, output, q8, size, unaryStep, unsupported } from './common.js';

/** RELU6 (standalone): firmware/kernels/relu6.h, a clamp with the input's params, in place when its input dies here. */
export function emitRelu6(op: Op, ctx: EmitContext): Step {
  const { graph, prefix } = ctx;
  const x = input(graph, op, 0);
  const out = output(graph, op);
  const inQ = q8(x, op);
  const outQ = q8(out, op);
  if (inQ.scale !== outQ.scale || inQ.zeroPoint !== outQ.zeroPoint)
    unsupported(graph, op, 'its input and output must share quantisation parameters (TFLM clamps without requantising)');
  const { zero, six } = relu6Bounds(inQ);
  const params = cStruct('tp_relu6_params', `${prefix}_params`, { size: size(x), zero, six });
  return unaryStep(op, 'RELU6', 'relu6', { read: x.id, write: out.id, inPlace: true }, params, prefix);
}
