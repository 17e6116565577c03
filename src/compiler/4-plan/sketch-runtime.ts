import type { Graph, OpKind } from '../../ir/index.js';

/**
 * How the sketch runs the model.
 *  - `c`: the model compiled to C by tinypdm (src/compiler/6-emit/c-model):
 *    plain C99 calls of the hand-written kernels, weights in flash, one static
 *    activation buffer; needs only the Arduino core and its PDM library.
 *  - `tflm`: the TFLM interpreter of the Arduino_TensorFlowLite library, on the
 *    model's flatbuffer (model_data.cpp), with a tensor arena sized by
 *    tinypdm's TFLM planner plus a margin.
 * The default is `c`: on the demo model it runs in about half of TFLM's
 * instructions with a third of its RAM (`npm run bench -- cbackend`).
 */
export type SketchRuntime = 'c' | 'tflm';

export const DEFAULT_SKETCH_RUNTIME: SketchRuntime = 'c';

/** What the board plan needs of the model compiled to C (src/compiler/6-emit/c-model), before the sketch is rendered. */
export interface CModelFootprint {
  /** The static activation buffer the generated C declares: exact, by construction. */
  arenaBytes: number;
  /** Bytes of the constant arrays (weights, biases, multipliers, shifts, tables) in flash. */
  constBytes: number;
  /** The op kind of each generated call (a conv with fused ops counts as CONV_2D), for the kernel code estimate. */
  calls: readonly OpKind[];
  /** The activation buffer the C runtime would plan for another graph: the board-fit suggestions rescale the input. */
  activationBytesOf: (graph: Graph) => number;
}
