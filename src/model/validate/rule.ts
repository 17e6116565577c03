import type { OpKind, OpOf } from '../ir.js';
import type { OpView } from './op-view.js';

/**
 * What the validator knows about one op kind. The table of these
 * (op-rules.ts) is typed by OpKind, so a new op without its rules does not
 * compile.
 */
export interface OpRule<K extends OpKind> {
  /** Allowed number of inputs, absent optional ones (-1) included. */
  arity: readonly [min: number, max: number];
  /** Input slots that may be -1 (absent). */
  optional?: readonly number[];
  /** Slots holding activations (default [0]); 'all' for CONCATENATION. Their dtype is the op's activation type. */
  data?: readonly number[] | 'all';
  /** The weights slot: a constant, float32 in a float graph and int8 in an int8 graph. */
  weights?: number;
  /** The bias slot: a constant, float32 in a float graph and int32 in an int8 graph. */
  bias?: number;
  /** Shapes and constant operands: the output's declared shape must be what the op computes. */
  shape(op: OpOf<K>, v: OpView): void;
  /** Constraints TFLM's and the TFLite runtime's int8 kernels put on quantisation params (int8 ops only). */
  int8?(op: OpOf<K>, v: OpView): void;
}
