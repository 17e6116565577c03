import type { Graph, Op, OpOf } from '../../../../ir/index.js';
import { nearestIndex } from '../../../../ops/index.js';
import { cStruct } from '../literals.js';
import type { EmitContext, Step } from '../types.js';
import { array, constant, input, nhwc, output, unsupported } from './common.js';

/** Source row and column of every output row and column: TFLite's GetNearestNeighbor, as the interpreter computes it. */
export function resizeMaps(op: Op, graph: Graph): { rows: Int32Array; cols: Int32Array } {
  const r = op as OpOf<'RESIZE_NEAREST_NEIGHBOR'>;
  const [inH, inW, c] = nhwc(graph, op, input(graph, op, 0));
  const [outH, outW, oc] = nhwc(graph, op, output(graph, op));
  const sizeOperand = constant(graph, op, 1, Int32Array);
  if (sizeOperand.length !== 2 || sizeOperand[0] !== outH || sizeOperand[1] !== outW || oc !== c) {
    unsupported(graph, op, `size operand [${Array.from(sizeOperand).join(', ')}] does not match output [${outH}, ${outW}, ${oc}]`);
  }
  const { alignCorners, halfPixelCenters } = r.options;
  return {
    rows: Int32Array.from({ length: outH }, (_, y) => nearestIndex(y, inH, outH, alignCorners, halfPixelCenters)),
    cols: Int32Array.from({ length: outW }, (_, x) => nearestIndex(x, inW, outW, alignCorners, halfPixelCenters)),
  };
}

/** RESIZE_NEAREST_NEIGHBOR: firmware/kernels/resize_nearest_neighbor.h (on cortex-m4 a conv consumer reads through it instead). */
export function emitResizeNearestNeighbor(op: Op, ctx: EmitContext): Step {
  const { graph, prefix } = ctx;
  const x = input(graph, op, 0);
  const out = output(graph, op);
  const [, inW, c] = nhwc(graph, op, x);
  const [outH, outW] = nhwc(graph, op, out);
  const { rows, cols } = resizeMaps(op, graph);
  const rowSrc = array(prefix, 'row_src', 'int16_t', rows);
  const colSrc = array(prefix, 'col_src', 'int16_t', cols);
  const params = cStruct('tp_resize_nearest_neighbor_params', `${prefix}_params`, {
    in_w: inW,
    channels: c,
    out_h: outH,
    out_w: outW,
    row_src: rowSrc.symbol,
    col_src: colSrc.symbol,
  });
  return {
    kinds: ['RESIZE_NEAREST_NEIGHBOR'],
    names: [op.name],
    reads: [x.id],
    write: out.id,
    scratchBytes: 0,
    macs: 0,
    declarations: [rowSrc.decl, colSrc.decl, params],
    headers: ['resize_nearest_neighbor.h'],
    call: (b) => `tp_resize_nearest_neighbor(&${prefix}_params, ${b.reads[0]}, ${b.write});`,
  };
}
