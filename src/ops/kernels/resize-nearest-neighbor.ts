import { fail } from '../../util/index.js';
import type { Graph, Op, OpOf, TensorData } from '../../ir/index.js';
import { allocateFor, expectRank, expectShape, outputAt, required, tensorAt, type Kernel, type KernelInputs } from '../kernel.js';
import { roundHalfAwayFromZero } from '../math/quant-math.js';

/**
 * RESIZE_NEAREST_NEIGHBOR: a pure copy (int8 is not requantised). The source
 * index is TFLite's GetNearestNeighbor, evaluated in float32:
 *   scale = align_corners && out > 1 ? (in − 1)/(out − 1) : in/out
 *   idx = min(align_corners ? round((o + off)·scale) : floor((o + off)·scale), in − 1)
 * with off = 0.5 for half_pixel_centers (then also max(0, ·)).
 */
export function nearestIndex(o: number, inSize: number, outSize: number, alignCorners: boolean, halfPixelCenters: boolean): number {
  const f = Math.fround;
  const scale = alignCorners && outSize > 1 ? f((inSize - 1) / f(outSize - 1)) : f(inSize / f(outSize));
  const pos = f(f(o + (halfPixelCenters ? 0.5 : 0)) * scale);
  let idx = Math.min(alignCorners ? roundHalfAwayFromZero(pos) : Math.floor(pos), inSize - 1);
  if (halfPixelCenters) idx = Math.max(0, idx);
  return idx;
}

function resize(op: Op, graph: Graph, inputs: KernelInputs): TensorData[] {
  const r = op as OpOf<'RESIZE_NEAREST_NEIGHBOR'>;
  const input = tensorAt(graph, op, 0);
  const output = outputAt(graph, op);
  expectRank(op, input, 4);
  const size = required<Int32Array>(inputs, 1, op);
  if (size.length !== 2 || size[0]! <= 0 || size[1]! <= 0) {
    fail(
      'BAD_ARGUMENT',
      `op '${op.name}' (RESIZE_NEAREST_NEIGHBOR): size operand must be two positive int32 values, got [${Array.from(size).join(', ')}]`,
    );
  }
  const [batches, inH, inW, channels] = input.shape as [number, number, number, number];
  const outH = size[0]!;
  const outW = size[1]!;
  expectShape(op, output, [batches, outH, outW, channels]);
  const { alignCorners, halfPixelCenters } = r.options;
  const srcX = Array.from({ length: outW }, (_, x) => nearestIndex(x, inW, outW, alignCorners, halfPixelCenters));
  const x = required<Float32Array | Int8Array>(inputs, 0, op);
  const out = allocateFor(output) as Float32Array | Int8Array;
  let o = 0;
  for (let n = 0; n < batches; n++) {
    for (let y = 0; y < outH; y++) {
      const rowBase = (n * inH + nearestIndex(y, inH, outH, alignCorners, halfPixelCenters)) * inW;
      for (let xx = 0; xx < outW; xx++) {
        const base = (rowBase + srcX[xx]!) * channels;
        for (let c = 0; c < channels; c++) out[o++] = x[base + c]!;
      }
    }
  }
  return [out];
}

export const resizeNearestNeighbor: Kernel = { float: resize, int8: resize };
