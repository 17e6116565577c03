import { fail } from '../../util/index.js';
import type { Graph, Op, OpOf } from '../../ir/index.js';
import { allocateFor, outputAt, required, type Kernel, type KernelInputs } from '../kernel.js';
import { activationRangeFloat, activationRangeInt8 } from '../math/quant-math.js';
import { expectSameParams, forEachWindow, poolGeometry, type PoolGeometry } from './pool-geometry.js';

/**
 * AVERAGE_POOL_2D over the window clipped to the input (padding is not
 * counted). int8 follows reference_integer_ops::AveragePool: the integer sum
 * divided by the tap count rounding half away from zero, i.e.
 * (sum ± count/2) / count with C's truncating division.
 */

function windowSums(op: Op, g: PoolGeometry, x: ArrayLike<number>, finish: (o: number, sum: number, count: number) => void): void {
  const rowStride = g.inW * g.channels;
  forEachWindow(g, (o, base, y0, y1, x0, x1) => {
    const count = (y1 - y0) * (x1 - x0);
    if (count <= 0)
      fail('SHAPE_MISMATCH', `op '${op.name}' (AVERAGE_POOL_2D): an output window covers no input pixel; check the padding and strides`);
    let sum = 0;
    for (let y = y0; y < y1; y++) for (let xx = x0; xx < x1; xx++) sum += x[base + y * rowStride + xx * g.channels]!;
    finish(o, sum, count);
  });
}

function averagePoolFloat(op: Op, graph: Graph, inputs: KernelInputs) {
  const pool = op as OpOf<'AVERAGE_POOL_2D'>;
  const g = poolGeometry(pool, graph);
  const { min, max } = activationRangeFloat(pool.options.activation);
  const out = allocateFor(outputAt(graph, op)) as Float32Array;
  windowSums(op, g, required<Float32Array>(inputs, 0, op), (o, sum, count) => {
    const v = sum / count;
    out[o] = v < min ? min : v > max ? max : v;
  });
  return [out];
}

function averagePoolInt8(op: Op, graph: Graph, inputs: KernelInputs) {
  const pool = op as OpOf<'AVERAGE_POOL_2D'>;
  const g = poolGeometry(pool, graph);
  const q = expectSameParams(op, graph);
  const { min, max } = activationRangeInt8(pool.options.activation, q.scale, q.zeroPoint);
  const out = new Int8Array(g.batches * g.outH * g.outW * g.channels);
  windowSums(op, g, required<Int8Array>(inputs, 0, op), (o, sum, count) => {
    const half = Math.trunc(count / 2);
    const v = sum > 0 ? Math.trunc((sum + half) / count) : Math.trunc((sum - half) / count);
    out[o] = v < min ? min : v > max ? max : v;
  });
  return [out];
}

export const averagePool2d: Kernel = { float: averagePoolFloat, int8: averagePoolInt8 };
