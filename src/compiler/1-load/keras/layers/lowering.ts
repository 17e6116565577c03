import type { LayerConfig } from '../config.js';
import type { LoweringContext } from '../context.js';
import type { FlatLayer } from '../flatten.js';

/**
 * What every layer file exports: the Keras class names it handles and a
 * function that adds its ops to the graph and returns its output tensor id.
 * `passThrough` marks layers that vanish at inference (Dropout and kin): their
 * output is their input, which matters when counting a tensor's consumers.
 */
export interface LayerLowering {
  classNames: readonly string[];
  lower(layer: FlatLayer, ctx: LoweringContext): number;
  passThrough?: (config: LayerConfig) => boolean;
}
