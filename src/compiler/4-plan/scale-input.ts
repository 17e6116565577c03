import { GraphBuilder } from '../../ir/index.js';
import { isConstant, type Graph } from '../../ir/index.js';
import { OPS } from '../../ops/index.js';

/**
 * `graph` with its [1, H, W, C] input resized to [1, h, w, C] and every
 * activation rescaled to match (resize targets too), for arena planning only:
 * weights are unchanged. Undefined when the graph has an op whose shapes do
 * not scale proportionally (dense layers, reshapes, padding, transposed
 * convs) or when a scaled dimension would not be whole.
 */
export function scaleGraphInput(graph: Graph, h: number, w: number): Graph | undefined {
  const input = graph.tensors[graph.inputs[0]!]!;
  if (graph.inputs.length !== 1 || input.shape.length !== 4) return undefined;
  if (graph.ops.some((op) => !OPS[op.kind].spatiallyProportional)) return undefined;
  const [, H, W] = input.shape as [number, number, number, number];
  const scaleDim = (d: number, from: number, to: number): number | undefined => {
    const v = (d * to) / from;
    return Number.isInteger(v) && v >= 1 ? v : undefined;
  };
  const b = new GraphBuilder(graph.name);
  const ids = new Map<number, number>();
  for (const t of graph.tensors) {
    if (isConstant(t)) {
      const resizeSize = graph.ops.some((op) => op.kind === 'RESIZE_NEAREST_NEIGHBOR' && op.inputs[1] === t.id);
      if (resizeSize) {
        const data = t.data as Int32Array;
        const nh = scaleDim(data[0]!, H, h);
        const nw = scaleDim(data[1]!, W, w);
        if (nh === undefined || nw === undefined) return undefined;
        ids.set(t.id, b.addConst(t.name, t.shape, new Int32Array([nh, nw]), t.dtype, t.quant));
      } else {
        ids.set(t.id, b.addConst(t.name, t.shape, t.data!, t.dtype, t.quant));
      }
      continue;
    }
    if (t.shape.length !== 4) return undefined;
    const nh = scaleDim(t.shape[1]!, H, h);
    const nw = scaleDim(t.shape[2]!, W, w);
    if (nh === undefined || nw === undefined) return undefined;
    ids.set(t.id, b.addTensor(t.name, [t.shape[0]!, nh, nw, t.shape[3]!], t.dtype, undefined, t.quant));
  }
  const map = (id: number) => (id < 0 ? id : ids.get(id)!);
  for (const op of graph.ops) b.addOp(op.kind, op.name, op.inputs.map(map), op.outputs.map(map), op.options);
  b.inputs = graph.inputs.map(map);
  b.outputs = graph.outputs.map(map);
  return b.build();
}
