import { fail } from '../../util/index.js';
import type { Graph, Op, Pool2DOptions } from '../../ir/index.js';
import { expectRank, expectShape, outputAt, perTensorQuant, tensorAt } from '../kernel.js';
import { paddedAxis } from '../math/padding.js';

/** Window geometry shared by MAX_POOL_2D and AVERAGE_POOL_2D (TFLM pooling_common.cc). */
export interface PoolGeometry {
  batches: number;
  inH: number;
  inW: number;
  channels: number;
  outH: number;
  outW: number;
  filterH: number;
  filterW: number;
  strideH: number;
  strideW: number;
  padTop: number;
  padLeft: number;
}

export function poolGeometry(op: Op & { options: Pool2DOptions }, graph: Graph): PoolGeometry {
  const input = tensorAt(graph, op, 0);
  const output = outputAt(graph, op);
  expectRank(op, input, 4);
  const [batches, inH, inW, channels] = input.shape as [number, number, number, number];
  const o = op.options;
  const h = paddedAxis(o.padding, inH, o.filterH, o.strideH);
  const w = paddedAxis(o.padding, inW, o.filterW, o.strideW);
  expectShape(op, output, [batches, h.out, w.out, channels]);
  return {
    batches,
    inH,
    inW,
    channels,
    outH: h.out,
    outW: w.out,
    filterH: o.filterH,
    filterW: o.filterW,
    strideH: o.strideH,
    strideW: o.strideW,
    padTop: h.before,
    padLeft: w.before,
  };
}

/**
 * Visits every output element with its window clipped to the input, in NHWC
 * output order. `visit(outIndex, inBase, y0, y1, x0, x1)` gets the input
 * offset of (n, 0, 0, c) and the clipped window bounds.
 */
export function forEachWindow(
  g: PoolGeometry,
  visit: (outIndex: number, channelBase: number, y0: number, y1: number, x0: number, x1: number) => void,
): void {
  let out = 0;
  for (let n = 0; n < g.batches; n++) {
    for (let oy = 0; oy < g.outH; oy++) {
      const iy0 = oy * g.strideH - g.padTop;
      const y0 = Math.max(0, iy0);
      const y1 = Math.min(g.inH, iy0 + g.filterH);
      for (let ox = 0; ox < g.outW; ox++) {
        const ix0 = ox * g.strideW - g.padLeft;
        const x0 = Math.max(0, ix0);
        const x1 = Math.min(g.inW, ix0 + g.filterW);
        for (let c = 0; c < g.channels; c++, out++) visit(out, n * g.inH * g.inW * g.channels + c, y0, y1, x0, x1);
      }
    }
  }
}

/** TFLM pooling requires the int8 output to reuse the input's params (|Δscale| ≤ 1e-6, equal zero points). */
export function expectSameParams(op: Op, graph: Graph): { scale: number; zeroPoint: number } {
  const input = tensorAt(graph, op, 0);
  const output = outputAt(graph, op);
  const inQ = perTensorQuant(input, op);
  const outQ = perTensorQuant(output, op);
  if (Math.abs(inQ.scale - outQ.scale) > 1e-6 || inQ.zeroPoint !== outQ.zeroPoint) {
    fail(
      'QUANTIZATION',
      `op '${op.name}' (${op.kind}): input '${input.name}' (scale ${inQ.scale}, zp ${inQ.zeroPoint}) and output '${output.name}' (scale ${outQ.scale}, zp ${outQ.zeroPoint}) must share quantisation params in TFLM; quantise them as one group`,
    );
  }
  return outQ;
}
