import { isConstant, type DType, type OpKind, type OpOf } from '../ir.js';
import type { ValidationContext } from './context.js';
import { OpView } from './op-view.js';
import type { OpRule } from './rule.js';
import { dequantizeRule, logisticRule, quantizeRule, relu6Rule, reluRule, softmaxRule } from './rules-elementwise.js';
import {
  addRule,
  concatenationRule,
  fullyConnectedRule,
  meanRule,
  padRule,
  reshapeRule,
  resizeNearestNeighborRule,
} from './rules-layout.js';
import { averagePool2dRule, conv2dRule, depthwiseConv2dRule, maxPool2dRule, transposeConvRule } from './rules-windowed.js';

/** Every op kind's rules. Typed by OpKind: a kind without rules is a compile error. */
export const OP_RULES: { [K in OpKind]: OpRule<K> } = {
  CONV_2D: conv2dRule,
  DEPTHWISE_CONV_2D: depthwiseConv2dRule,
  FULLY_CONNECTED: fullyConnectedRule,
  TRANSPOSE_CONV: transposeConvRule,
  MAX_POOL_2D: maxPool2dRule,
  AVERAGE_POOL_2D: averagePool2dRule,
  MEAN: meanRule,
  RESIZE_NEAREST_NEIGHBOR: resizeNearestNeighborRule,
  PAD: padRule,
  ADD: addRule,
  CONCATENATION: concatenationRule,
  RESHAPE: reshapeRule,
  SOFTMAX: softmaxRule,
  LOGISTIC: logisticRule,
  RELU: reluRule,
  RELU6: relu6Rule,
  QUANTIZE: quantizeRule,
  DEQUANTIZE: dequantizeRule,
};

const HYBRID = 'a hybrid, dynamic-range model: TFLM cannot run it; convert with full-integer quantisation';

/** Activation types the interpreter and the sketch run. */
const ACTIVATION_DTYPES = new Set<DType>(['float32', 'int8']);

/** Runs each op's rules in execution order: arity, dtypes, shapes, then (int8 ops) quantisation constraints. */
export function checkOps(ctx: ValidationContext): void {
  ctx.graph.ops.forEach((op) => {
    const rule = OP_RULES[op.kind] as OpRule<OpKind> | undefined;
    if (!rule) return ctx.failOp(op, 'UNSUPPORTED_OP', `op kind ${String(op.kind)} is not one tinypdm knows`);
    const v = new OpView(ctx, op);
    checkArity(v, rule);
    const activation = checkDtypes(v, rule);
    rule.shape(op as OpOf<OpKind>, v);
    if (activation === 'int8') rule.int8?.(op as OpOf<OpKind>, v);
  });
}

function checkArity(v: OpView, rule: OpRule<OpKind>): void {
  const { op } = v;
  const [min, max] = rule.arity;
  if (op.inputs.length < min || op.inputs.length > max) {
    v.fail('INVALID_GRAPH', `has ${op.inputs.length} inputs, expected ${min === max ? min : `${min} to ${max}`}`);
  }
  op.inputs.forEach((id, k) => {
    if (id === -1 && !rule.optional?.includes(k)) v.fail('INVALID_GRAPH', `lacks its required input ${k}`);
  });
}

/**
 * The op's activation type (its data inputs and output agree on float32 or
 * int8, except QUANTIZE / DEQUANTIZE which convert), and its weights and bias
 * are constants of the matching type: float32 with float32 activations, int8
 * weights and int32 bias with int8 ones. Returns the activation type.
 */
function checkDtypes(v: OpView, rule: OpRule<OpKind>): DType {
  const { op } = v;
  const slots = rule.data === 'all' ? op.inputs.map((_, k) => k) : (rule.data ?? [0]);
  const data = slots.map((k) => v.input(k));
  const out = v.output;
  for (const t of [...data, out]) {
    if (!ACTIVATION_DTYPES.has(t.dtype)) {
      v.fail(
        'UNSUPPORTED_FORMAT',
        `tensor '${t.name}' is ${t.dtype}; tinypdm runs float32 and int8 activations only`,
        're-export the model with float32 or full-integer int8 quantisation',
      );
    }
  }
  if (op.kind === 'QUANTIZE') {
    if (out.dtype !== 'int8') v.fail('INVALID_GRAPH', `output '${out.name}' is ${out.dtype}; QUANTIZE must produce int8`);
    return 'int8';
  }
  if (op.kind === 'DEQUANTIZE') {
    if (data[0]!.dtype !== 'int8' || out.dtype !== 'float32') {
      v.fail(
        'INVALID_GRAPH',
        `converts ${data[0]!.dtype} to ${out.dtype}; DEQUANTIZE takes int8 to float32`,
      );
    }
    return 'int8';
  }
  const mixed = data.find((t) => t.dtype !== out.dtype);
  if (mixed) v.fail('INVALID_GRAPH', `mixes ${mixed.dtype} input '${mixed.name}' with ${out.dtype} output '${out.name}'`);
  const int8 = out.dtype === 'int8';
  checkConstant(v, rule.weights, 'weights', int8 ? 'int8' : 'float32', int8);
  checkConstant(v, rule.bias, 'bias', int8 ? 'int32' : 'float32', int8);
  return out.dtype;
}

function checkConstant(v: OpView, slot: number | undefined, role: string, dtype: DType, int8: boolean): void {
  if (slot === undefined || !v.has(slot)) return;
  const t = v.input(slot);
  if (!isConstant(t)) v.fail('INVALID_GRAPH', `${role} '${t.name}' is computed by the graph; tinypdm needs constant ${role}`);
  if (t.dtype !== dtype) {
    const hybrid = !int8 && t.dtype === 'int8' ? ` (${HYBRID})` : '';
    v.fail(
      'INVALID_GRAPH',
      `${role} '${t.name}' are ${t.dtype}; with ${int8 ? 'int8' : 'float32'} activations they must be ${dtype}${hybrid}`,
    );
  }
}
