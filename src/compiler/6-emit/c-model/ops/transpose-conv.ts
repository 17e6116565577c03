import type { Op, OpOf } from '../../../../ir/index.js';
import { activationRangeInt8, channelScales, paddedAxis, perChannelMultipliers } from '../../../../ops/index.js';
import { cStruct } from '../literals.js';
import type { EmitContext, Step } from '../types.js';
import { array, constant, input, nhwc, optionalInput, output, q8, unsupported } from './common.js';

/** TRANSPOSE_CONV: firmware/kernels/transpose_conv.h (gathered per output, so no int32 scratch). */
export function emitTransposeConv(op: Op, ctx: EmitContext): Step {
  const tc = op as OpOf<'TRANSPOSE_CONV'>;
  const { graph, prefix } = ctx;
  const filter = input(graph, op, 1);
  const x = input(graph, op, 2);
  const out = output(graph, op);
  const [inH, inW, inC] = nhwc(graph, op, x);
  const [outH, outW, outC] = nhwc(graph, op, out);
  const [fo, kH, kW, fi] = filter.shape as [number, number, number, number];
  if (filter.shape.length !== 4 || fo !== outC || fi !== inC)
    unsupported(graph, op, `filter [${filter.shape.join(', ')}] does not match [${outC}, kh, kw, ${inC}]`);
  const shapeOperand = constant(graph, op, 0, Int32Array);
  if (Array.from(shapeOperand).some((d, i) => d !== out.shape[i]))
    unsupported(graph, op, `output_shape [${Array.from(shapeOperand).join(', ')}] differs from '${out.name}'`);
  const o = tc.options;
  // TFLM derives the padding from the output size (transpose_conv.cc), as the interpreter does.
  const padTop = paddedAxis(o.padding, outH, kH, o.strideH).before;
  const padLeft = paddedAxis(o.padding, outW, kW, o.strideW).before;
  const inQ = q8(x, op);
  const outQ = q8(out, op);
  const { multiplier, shift } = perChannelMultipliers(inQ.scale, channelScales(filter, outC, op), outQ.scale);
  const range = activationRangeInt8(o.activation, outQ.scale, outQ.zeroPoint);
  const f = array(prefix, 'filter', 'int8_t', constant(graph, op, 1, Int8Array));
  const bias = optionalInput(graph, op, 3) ? array(prefix, 'bias', 'int32_t', constant(graph, op, 3, Int32Array)) : undefined;
  const mult = array(prefix, 'multiplier', 'int32_t', multiplier);
  const sh = array(prefix, 'shift', 'int32_t', shift);
  const params = cStruct('tp_transpose_conv_params', `${prefix}_params`, {
    in_h: inH,
    in_w: inW,
    in_c: inC,
    out_h: outH,
    out_w: outW,
    out_c: outC,
    k_h: kH,
    k_w: kW,
    stride_h: o.strideH,
    stride_w: o.strideW,
    pad_top: padTop,
    pad_left: padLeft,
    in_zp: inQ.zeroPoint,
    out_zp: outQ.zeroPoint,
    act_min: range.min,
    act_max: range.max,
    filter: f.symbol,
    bias: bias ? bias.symbol : 'NULL',
    multiplier: mult.symbol,
    shift: sh.symbol,
  });
  return {
    kinds: ['TRANSPOSE_CONV'],
    names: [op.name],
    reads: [x.id],
    write: out.id,
    scratchBytes: 0,
    macs: inH * inW * inC * kH * kW * outC,
    declarations: [f.decl, ...(bias ? [bias.decl] : []), mult.decl, sh.decl, params],
    headers: ['transpose_conv.h'],
    call: (b) => `tp_transpose_conv(&${prefix}_params, ${b.reads[0]}, ${b.write});`,
  };
}
