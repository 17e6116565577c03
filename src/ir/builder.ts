import { assertInternal } from '../util/index.js';
import type { DType, Graph, Op, OpKind, OpOptionsByKind, QuantParams, Tensor, TensorData } from './graph.js';

/**
 * Builds a Graph incrementally. Used by loaders, lowering and passes that
 * rebuild a graph. Tensor ids are assigned in creation order, so a builder fed
 * in a deterministic order produces a deterministic graph.
 */
export class GraphBuilder {
  readonly tensors: Tensor[] = [];
  readonly ops: Op[] = [];
  inputs: number[] = [];
  outputs: number[] = [];

  constructor(readonly name: string) {}

  addTensor(name: string, shape: number[], dtype: DType, data?: TensorData, quant?: QuantParams): number {
    const id = this.tensors.length;
    const t: Tensor = { id, name, shape: [...shape], dtype };
    if (data !== undefined) t.data = data;
    if (quant !== undefined) t.quant = quant;
    this.tensors.push(t);
    return id;
  }

  addConst(name: string, shape: number[], data: TensorData, dtype: DType, quant?: QuantParams): number {
    return this.addTensor(name, shape, dtype, data, quant);
  }

  addOp<K extends OpKind>(kind: K, name: string, inputs: number[], outputs: number[], options: OpOptionsByKind[K]): void {
    this.ops.push({ kind, name, inputs, outputs, options } as unknown as Op);
  }

  tensor(id: number): Tensor {
    const t = this.tensors[id];
    assertInternal(t, `no tensor ${id}`);
    return t;
  }

  build(): Graph {
    return { name: this.name, tensors: this.tensors, ops: this.ops, inputs: this.inputs, outputs: this.outputs };
  }
}

/** A deep copy, so passes can stay pure without sharing mutable arrays. */
export function cloneGraph(g: Graph): Graph {
  return {
    name: g.name,
    tensors: g.tensors.map((t) => ({
      ...t,
      shape: [...t.shape],
      ...(t.data ? { data: t.data.slice() } : {}),
      ...(t.quant ? { quant: { scale: [...t.quant.scale], zeroPoint: [...t.quant.zeroPoint], axis: t.quant.axis } } : {}),
    })),
    ops: g.ops.map((op) => ({ ...op, inputs: [...op.inputs], outputs: [...op.outputs], options: { ...op.options } }) as Op),
    inputs: [...g.inputs],
    outputs: [...g.outputs],
  };
}
