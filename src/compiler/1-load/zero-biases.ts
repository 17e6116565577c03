import { cloneGraph, type Graph, type Op } from '../../ir/index.js';
import { OPS } from '../../ops/index.js';

/**
 * Gives every float op that the TFLite runtime refuses without a bias
 * (OpDescriptor weights.biasRequired: CONV_2D and DEPTHWISE_CONV_2D,
 * "Tensor at index 2 was optional but was expected", conv.cc /
 * depthwise_conv.cc) a zero bias, since a float .tflite from the converter may
 * omit it. Adding zeros changes no output. The Keras lowering does the same
 * for use_bias=False layers.
 */
export function withZeroBiases(graph: Graph): Graph {
  const needsBias = (op: Op) => {
    const w = OPS[op.kind].weights;
    return w?.biasRequired === true && (op.inputs[w.biasSlot] ?? -1) < 0 ? w : undefined;
  };
  if (!graph.ops.some(needsBias)) return graph;
  const g = cloneGraph(graph);
  g.ops.forEach((op) => {
    const w = needsBias(op);
    if (!w) return;
    const filter = g.tensors[op.inputs[w.slot] ?? -1];
    // A malformed filter is left for the validator to name.
    if (!filter || filter.dtype !== 'float32' || filter.shape.length !== 4) return;
    const channels = filter.shape[w.outputChannelAxis]!;
    const id = g.tensors.length;
    g.tensors.push({ id, name: `${op.name}/bias`, shape: [channels], dtype: 'float32', data: new Float32Array(channels) });
    const inputs = [...op.inputs];
    while (inputs.length < w.biasSlot) inputs.push(-1);
    inputs[w.biasSlot] = id;
    op.inputs = inputs;
  });
  return g;
}
