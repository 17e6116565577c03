import type { Op, OpOf } from '../../../../ir/index.js';
import { activationRangeInt8, channelScales, paddedAxis, perChannelMultipliers } from '../../../../ops/index.js';
import { cStruct } from '../literals.js';
import type { EmitContext, Step } from '../types.js';
import { array, constant, input, nhwc, optionalInput, output, q8, unsupported } from './common.js';

/** DEPTHWISE_CONV_2D: firmware/kernels/depthwise_conv_2d.h on every target. */
export function emitDepthwiseConv2d(op: Op, ctx: EmitContext): Step {
  const dw = op as OpOf<'DEPTHWISE_CONV_2D'>;
  const { graph, prefix } = ctx;
  const [inH, inW, inC] = nhwc(graph, op, input(graph, op, 0));
  const filter = input(graph, op, 1);
  const out = output(graph, op);
  const [outH, outW, outC] = nhwc(graph, op, out);
  const o = dw.options;
  const [, kH, kW, fC] = filter.shape as [number, number, number, number];
  if (filter.shape.length !== 4 || fC !== outC || outC !== inC * o.depthMultiplier) {
    unsupported(graph, op, `filter [${filter.shape.join(', ')}] does not match ${inC} input channels × multiplier ${o.depthMultiplier}`);
  }
  const h = paddedAxis(o.padding, inH, kH, o.strideH, o.dilationH);
  const w = paddedAxis(o.padding, inW, kW, o.strideW, o.dilationW);
  if (h.out !== outH || w.out !== outW) unsupported(graph, op, `output [${outH}, ${outW}] differs from the computed [${h.out}, ${w.out}]`);
  const inQ = q8(input(graph, op, 0), op);
  const outQ = q8(out, op);
  const { multiplier, shift } = perChannelMultipliers(inQ.scale, channelScales(filter, outC, op), outQ.scale);
  const range = activationRangeInt8(o.activation, outQ.scale, outQ.zeroPoint);
  const f = array(prefix, 'filter', 'int8_t', constant(graph, op, 1, Int8Array));
  const bias = optionalInput(graph, op, 2) ? array(prefix, 'bias', 'int32_t', constant(graph, op, 2, Int32Array)) : undefined;
  const mult = array(prefix, 'multiplier', 'int32_t', multiplier);
  const sh = array(prefix, 'shift', 'int32_t', shift);
  const params = cStruct('tp_depthwise_conv_2d_params', `${prefix}_params`, {
    in_h: inH,
    in_w: inW,
    in_c: inC,
    out_h: outH,
    out_w: outW,
    out_c: outC,
    k_h: kH,
    k_w: kW,
    depth_multiplier: o.depthMultiplier,
    stride_h: o.strideH,
    stride_w: o.strideW,
    dilation_h: o.dilationH,
    dilation_w: o.dilationW,
    pad_top: h.before,
    pad_left: w.before,
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
    kinds: ['DEPTHWISE_CONV_2D'],
    names: [op.name],
    reads: [op.inputs[0]!],
    write: out.id,
    scratchBytes: 0,
    macs: outH * outW * outC * kH * kW,
    declarations: [f.decl, ...(bias ? [bias.decl] : []), mult.decl, sh.decl, params],
    headers: ['depthwise_conv_2d.h'],
    call: (b) => `tp_depthwise_conv_2d(&${prefix}_params, ${b.reads[0]}, ${b.write});`,
  };
}
