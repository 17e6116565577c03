import type { Graph, Op, OpOf } from '../../ir/index.js';
import { allocateFor, outputAt, required, type Kernel, type KernelInputs } from '../kernel.js';
import { activationRangeFloat, activationRangeInt8 } from '../math/quant-math.js';
import { expectSameParams, forEachWindow, poolGeometry } from './pool-geometry.js';

/**
 * MAX_POOL_2D: the maximum over the window clipped to the input, then the
 * activation clamp. int8 needs no requantisation (same params in and out),
 * as in TFLM's reference_integer_ops::MaxPool.
 */

function maxPool(op: Op, graph: Graph, inputs: KernelInputs, range: { min: number; max: number }) {
  const pool = op as OpOf<'MAX_POOL_2D'>;
  const g = poolGeometry(pool, graph);
  const x = required<Float32Array | Int8Array>(inputs, 0, op);
  const out = allocateFor(outputAt(graph, op)) as Float32Array | Int8Array;
  const rowStride = g.inW * g.channels;
  forEachWindow(g, (o, base, y0, y1, x0, x1) => {
    let m = -Infinity;
    for (let y = y0; y < y1; y++) {
      for (let xx = x0; xx < x1; xx++) {
        const v = x[base + y * rowStride + xx * g.channels]!;
        if (v > m) m = v;
      }
    }
    out[o] = m < range.min ? range.min : m > range.max ? range.max : m;
  });
  return [out];
}

export const maxPool2d: Kernel = {
  float: (op, graph, inputs) => maxPool(op, graph, inputs, activationRangeFloat((op as OpOf<'MAX_POOL_2D'>).options.activation)),
  int8: (op, graph, inputs) => {
    const q = expectSameParams(op, graph);
    return maxPool(op, graph, inputs, activationRangeInt8((op as OpOf<'MAX_POOL_2D'>).options.activation, q.scale, q.zeroPoint));
  },
};
