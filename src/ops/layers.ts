import type { Activation, Padding, Pool2DOptions } from '../ir/index.js';

/** Helpers the fine-tuning layer builders share: IR options as Keras layer arguments. */
export function kerasActivation(a: Activation, refuse: (what: string) => never): 'linear' | 'relu' | 'relu6' {
  if (a === 'RELU_N1_TO_1') refuse('a fused RELU_N1_TO_1');
  return a === 'NONE' ? 'linear' : a === 'RELU' ? 'relu' : 'relu6';
}

export function kerasPadding(p: Padding): 'same' | 'valid' {
  return p === 'SAME' ? 'same' : 'valid';
}

/** MAX/AVERAGE_POOL_2D as Keras pooling arguments; a fused activation has no Keras pooling equivalent. */
export function poolLayer(op: { options: Pool2DOptions }, name: string, refuse: (what: string) => never) {
  const o = op.options;
  if (o.activation !== 'NONE') refuse(`a fused ${o.activation} on pooling`);
  return {
    name,
    poolSize: [o.filterH, o.filterW] as [number, number],
    strides: [o.strideH, o.strideW] as [number, number],
    padding: kerasPadding(o.padding),
  };
}
