/**
 * How the sketch runs the model.
 *  - `c`: the model compiled to C by tinypdm (src/codegen/c-model): plain C99
 *    calls of the hand-written kernels, weights in flash, one static
 *    activation buffer; needs only the Arduino core and its PDM library.
 *  - `tflm`: the TFLM interpreter of the Arduino_TensorFlowLite library, on the
 *    model's flatbuffer (model_data.cpp), with a tensor arena sized by
 *    tinypdm's TFLM planner plus a margin.
 * The default is `c`: on the demo model it runs in about half of TFLM's
 * instructions with a third of its RAM (`npm run bench -- cbackend`).
 */
export type SketchRuntime = 'c' | 'tflm';

export const SKETCH_RUNTIMES: readonly SketchRuntime[] = ['c', 'tflm'];

export const DEFAULT_SKETCH_RUNTIME: SketchRuntime = 'c';
