import type { OpKind, OpOf } from '../../ir/index.js';
import type { OpView } from './op-view.js';

/**
 * What the graph validator checks for one op kind, on its descriptor
 * (OpDescriptor.validate). Weighted ops' weight, data and bias slots come from
 * the descriptor's `weights` facts: the weights must be a constant, the bias
 * (optional, so -1 is allowed) a constant, the data input an activation.
 */
export interface OpValidation<K extends OpKind> {
  /** Allowed number of inputs, absent optional ones (-1) included. */
  arity: readonly [min: number, max: number];
  /**
   * Slots holding activations, whose dtype is the op's activation type:
   * default the weights' data slot, else [0]; 'all' for CONCATENATION.
   */
  data?: readonly number[] | 'all';
  /** Shapes and constant operands: the output's declared shape must be what the op computes. */
  shape(op: OpOf<K>, v: OpView): void;
  /** Constraints TFLM's and the TFLite runtime's int8 kernels put on quantisation params (int8 ops only). */
  int8?(op: OpOf<K>, v: OpView): void;
}
