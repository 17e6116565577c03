import { cloneGraph } from './builder.js';
import type { Graph } from './ir.js';

/**
 * Gives every float CONV_2D and DEPTHWISE_CONV_2D without a bias a zero bias.
 * The TFLite runtime refuses these ops without one ("Tensor at index 2 was
 * optional but was expected", conv.cc / depthwise_conv.cc), and a float
 * .tflite from the converter may omit it. Adding zeros changes no output. The
 * Keras lowering does the same for use_bias=False layers.
 */
export function withZeroBiases(graph: Graph): Graph {
  const missing = graph.ops.filter((op) => (op.kind === 'CONV_2D' || op.kind === 'DEPTHWISE_CONV_2D') && (op.inputs[2] ?? -1) < 0);
  if (missing.length === 0) return graph;
  const g = cloneGraph(graph);
  g.ops.forEach((op) => {
    if ((op.kind !== 'CONV_2D' && op.kind !== 'DEPTHWISE_CONV_2D') || (op.inputs[2] ?? -1) >= 0) return;
    const filter = g.tensors[op.inputs[1] ?? -1];
    // A malformed filter is left for the validator to name.
    if (!filter || filter.dtype !== 'float32' || filter.shape.length !== 4) return;
    const channels = filter.shape[op.kind === 'CONV_2D' ? 0 : 3]!;
    const id = g.tensors.length;
    g.tensors.push({ id, name: `${op.name}/bias`, shape: [channels], dtype: 'float32', data: new Float32Array(channels) });
    op.inputs = [op.inputs[0]!, op.inputs[1]!, id];
  });
  return g;
}
