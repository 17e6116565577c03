import { fail } from '../../../../util/index.js';
import type { Padding } from '../../../../ir/index.js';
import type { LayerConfig } from '../config.js';
import type { FlatLayer } from '../flatten.js';

/** Keras 'same'/'valid' to TFLite padding; 'causal' (1-D only) has no TFLite 2-D equivalent. */
export function padding(config: LayerConfig): Padding {
  const p = config.string('padding', 'valid').toLowerCase();
  if (p === 'same') return 'SAME';
  if (p === 'valid') return 'VALID';
  config.unsupported(`padding '${p}' is not supported`, "use 'same' or 'valid'");
}

/**
 * Output length of a windowed op (conv, pool) as TensorFlow defines it:
 * SAME gives ceil(in / stride), VALID ceil((in - dilatedKernel + 1) / stride).
 */
export function windowOutput(length: number, kernel: number, stride: number, dilation: number, pad: Padding): number {
  if (pad === 'SAME') return Math.ceil(length / stride);
  const effective = (kernel - 1) * dilation + 1;
  return Math.max(0, Math.ceil((length - effective + 1) / stride));
}

/** NHWC input shape of a 2-D layer, checked. */
export function nhwc(layer: FlatLayer, shape: number[]): [number, number, number, number] {
  if (shape.length !== 4) {
    fail('SHAPE_MISMATCH', `layer '${layer.name}' (${layer.config.className}) needs a 4-D NHWC input but gets shape [${shape.join(', ')}]`);
  }
  return shape as [number, number, number, number];
}

export function requirePositive(layer: FlatLayer, shape: number[]): number[] {
  if (shape.some((d) => d <= 0)) {
    fail(
      'SHAPE_MISMATCH',
      `layer '${layer.name}' (${layer.config.className}) would produce shape [${shape.join(', ')}]; its input is too small for its window`,
    );
  }
  return shape;
}
