import { checkFixedOutput, checkSameParams } from './int8-params.js';
import type { OpView } from './op-view.js';
import type { OpRule } from './rule.js';

/** Ops whose output has the input's shape. */

function sameShapeAsInput(v: OpView): void {
  v.expectOutput(v.input(0).shape, 'an element-wise op (output shape = input shape)');
}

export const softmaxRule: OpRule<'SOFTMAX'> = {
  arity: [1, 1],
  shape(op, v) {
    if (v.input(0).shape.length < 1) v.fail('SHAPE_MISMATCH', 'has a scalar input; softmax runs over the last dimension');
    // The converter writes beta = 1; the int8 kernels' fixed-point rescaling assumes a positive one.
    if (!(Number.isFinite(op.options.beta) && op.options.beta > 0)) v.fail('INVALID_GRAPH', `beta is ${op.options.beta}, must be a positive number`);
    sameShapeAsInput(v);
  },
  int8: (_op, v) => checkFixedOutput(v),
};

export const logisticRule: OpRule<'LOGISTIC'> = {
  arity: [1, 1],
  shape: (_op, v) => sameShapeAsInput(v),
  int8: (_op, v) => checkFixedOutput(v),
};

export const reluRule: OpRule<'RELU'> = { arity: [1, 1], shape: (_op, v) => sameShapeAsInput(v) };

export const relu6Rule: OpRule<'RELU6'> = {
  arity: [1, 1],
  shape: (_op, v) => sameShapeAsInput(v),
  // TFLM's int8 RELU6 clamps with bounds from the input params and copies (activations.cc): the params must match exactly.
  int8: (_op, v) => checkSameParams(v, 0, "TFLM's int8 RELU6 clamps without requantising"),
};

/** float32 → int8 (or int8 → int8, requantising); the output is int8 with per-tensor params. */
export const quantizeRule: OpRule<'QUANTIZE'> = { arity: [1, 1], shape: (_op, v) => sameShapeAsInput(v) };

/** int8 → float32. */
export const dequantizeRule: OpRule<'DEQUANTIZE'> = { arity: [1, 1], shape: (_op, v) => sameShapeAsInput(v) };
