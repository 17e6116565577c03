import type { Graph, Op, OpOf } from '../../../../ir/index.js';
import { activationRangeInt8, paddedAxis } from '../../../../ops/index.js';
import { cStruct } from '../literals.js';
import type { EmitContext, Step } from '../types.js';
import { input, nhwc, output, q8, unsupported } from './common.js';

/** MAX_POOL_2D and AVERAGE_POOL_2D share their params struct and step shape; each has its own emitter file. */

function hasEmptyWindow(outSize: number, inSize: number, filter: number, stride: number, before: number): boolean {
  for (let o = 0; o < outSize; o++) {
    if (Math.min(inSize, o * stride - before + filter) <= Math.max(0, o * stride - before)) return true;
  }
  return false;
}

/** The params struct both pools share (firmware/kernels/pool_2d_params.h). */
function poolParams(op: OpOf<'MAX_POOL_2D' | 'AVERAGE_POOL_2D'>, graph: Graph, symbol: string, requireNonEmpty: boolean): string {
  const x = input(graph, op, 0);
  const out = output(graph, op);
  const [inH, inW, c] = nhwc(graph, op, x);
  const [outH, outW, oc] = nhwc(graph, op, out);
  const o = op.options;
  const h = paddedAxis(o.padding, inH, o.filterH, o.strideH);
  const w = paddedAxis(o.padding, inW, o.filterW, o.strideW);
  if (h.out !== outH || w.out !== outW || oc !== c)
    unsupported(graph, op, `output [${outH}, ${outW}, ${oc}] differs from the computed [${h.out}, ${w.out}, ${c}]`);
  const inQ = q8(x, op);
  const outQ = q8(out, op);
  if (Math.abs(inQ.scale - outQ.scale) > 1e-6 || inQ.zeroPoint !== outQ.zeroPoint) {
    unsupported(graph, op, `its input and output must share quantisation parameters (TFLM's rule)`);
  }
  if (
    requireNonEmpty &&
    (hasEmptyWindow(outH, inH, o.filterH, o.strideH, h.before) || hasEmptyWindow(outW, inW, o.filterW, o.strideW, w.before))
  ) {
    unsupported(graph, op, 'a window covers no input pixel');
  }
  const range = activationRangeInt8(o.activation, outQ.scale, outQ.zeroPoint);
  return cStruct('tp_pool_2d_params', symbol, {
    in_h: inH,
    in_w: inW,
    channels: c,
    out_h: outH,
    out_w: outW,
    filter_h: o.filterH,
    filter_w: o.filterW,
    stride_h: o.strideH,
    stride_w: o.strideW,
    pad_top: h.before,
    pad_left: w.before,
    act_min: range.min,
    act_max: range.max,
  });
}

export function emitPool(op: Op, ctx: EmitContext, kind: 'MAX_POOL_2D' | 'AVERAGE_POOL_2D'): Step {
  const pool = op as OpOf<'MAX_POOL_2D'>;
  const { graph, prefix } = ctx;
  const out = output(graph, op);
  const [outH, outW, c] = nhwc(graph, op, out);
  const fn = kind === 'MAX_POOL_2D' ? 'tp_max_pool_2d' : 'tp_average_pool_2d';
  return {
    kinds: [kind],
    names: [op.name],
    reads: [op.inputs[0]!],
    write: out.id,
    scratchBytes: 0,
    macs: outH * outW * c * pool.options.filterH * pool.options.filterW,
    declarations: [poolParams(pool, graph, `${prefix}_params`, kind === 'AVERAGE_POOL_2D')],
    headers: [kind === 'MAX_POOL_2D' ? 'max_pool_2d.h' : 'average_pool_2d.h'],
    call: (b) => `${fn}(&${prefix}_params, ${b.reads[0]}, ${b.write});`,
  };
}
