import { GraphBuilder } from '../ir/index.js';
import { isConstant, type Graph, type Op } from '../ir/index.js';

/**
 * A one-op model: the op, its constants, and its non-constant inputs as graph
 * inputs. Verifying each op on identical inputs separates a kernel's own
 * rounding from differences that earlier ops propagate (an output layer with a
 * small scale amplifies a 1-LSB input difference into several output LSBs).
 */
export function isolateOp(graph: Graph, op: Op): { graph: Graph; inputIds: number[] } {
  const b = new GraphBuilder(`${graph.name}/${op.name}`);
  const map = new Map<number, number>();
  const copy = (id: number) => {
    if (id < 0) return id;
    let mapped = map.get(id);
    if (mapped === undefined) {
      const t = graph.tensors[id]!;
      mapped = b.addTensor(t.name, t.shape, t.dtype, t.data, t.quant);
      map.set(id, mapped);
    }
    return mapped;
  };
  const inputIds = op.inputs.filter((id) => id >= 0 && !isConstant(graph.tensors[id]!));
  const inputs = op.inputs.map(copy);
  const outputs = op.outputs.map(copy);
  b.addOp(op.kind, op.name, inputs, outputs, op.options);
  b.inputs = [...new Set(inputIds)].map((id) => map.get(id)!);
  b.outputs = outputs;
  return { graph: b.build(), inputIds: [...new Set(inputIds)] };
}
