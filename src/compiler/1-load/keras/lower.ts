import { fail } from '../../../util/index.js';
import { GraphBuilder } from '../../../ir/index.js';
import type { Graph } from '../../../ir/index.js';
import { validateGraph } from '../validate/index.js';
import { LoweringContext } from './context.js';
import type { FlatModel } from './flatten.js';
import { LAYER_LOWERINGS, SUPPORTED_LAYERS, type LayerLowering } from './layers/index.js';
import type { WeightStore } from './weights.js';

/**
 * Lowers a flattened Keras model to a float32 IR graph, one layer at a time in
 * execution order. Input tensors get shape [1, ...keras shape] (batch 1).
 */
export function lowerKerasModel(flat: FlatModel, weights: WeightStore): Graph {
  const lowerings = flat.layers.map((layer) => {
    const l = LAYER_LOWERINGS.get(layer.config.className);
    if (!l) {
      fail(
        'UNSUPPORTED_LAYER',
        `layer '${layer.name}' (${layer.config.className}) is not supported; supported layers: ${SUPPORTED_LAYERS.join(', ')}`,
      );
    }
    return l;
  });
  const consumers = countConsumers(flat, lowerings);

  const b = new GraphBuilder(flat.name);
  const tensors = new Map<string, number>();
  for (const input of flat.inputs) tensors.set(input.ref, b.addTensor(input.name, [1, ...input.shape], 'float32'));
  b.inputs = flat.inputs.map((i) => tensors.get(i.ref)!);

  const tensorOf = (ref: string) => tensors.get(ref) ?? fail('NOT_A_MODEL', `tensor '${ref}' is used before any layer produces it`);
  const ctx = new LoweringContext(b, weights, tensorOf, consumers);
  flat.layers.forEach((layer, i) => tensors.set(layer.output, lowerings[i]!.lower(layer, ctx)));
  b.outputs = flat.outputs.map(tensorOf);
  const graph = b.build();
  // The weights come from the file: NaN/Inf, and shapes the layer configs disagree on, are refused here.
  validateGraph(graph, `model '${flat.name}'`);
  return graph;
}

/**
 * How many layers (and graph outputs) read each tensor, looking through layers
 * that vanish at inference, so "conv → dropout → relu" still fuses.
 */
function countConsumers(flat: FlatModel, lowerings: LayerLowering[]): (ref: string) => number {
  const alias = new Map<string, string>();
  const resolve = (ref: string): string => {
    let r = ref;
    while (alias.has(r)) r = alias.get(r)!;
    return r;
  };
  const counts = new Map<string, number>();
  const use = (ref: string) => counts.set(resolve(ref), (counts.get(resolve(ref)) ?? 0) + 1);
  flat.layers.forEach((layer, i) => {
    const l = lowerings[i]!;
    if (l.passThrough?.(layer.config) && layer.inputs.length === 1) alias.set(layer.output, layer.inputs[0]!);
    else layer.inputs.forEach(use);
  });
  flat.outputs.forEach(use);
  return (ref) => counts.get(resolve(ref)) ?? 0;
}
