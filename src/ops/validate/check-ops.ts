import { isConstant, type DType, type OpKind } from '../../ir/index.js';
import type { OpDescriptor } from '../descriptor.js';
import { OPS } from '../registry.js';
import type { ValidationContext } from './context.js';
import { OpView } from './op-view.js';
import { requireBias } from './shared-rules.js';

const HYBRID = 'a hybrid, dynamic-range model: TFLM cannot run it; convert with full-integer quantisation';

/** Activation types the interpreter and the sketch run. */
const ACTIVATION_DTYPES = new Set<DType>(['float32', 'int8']);

/**
 * Runs each op's checks in execution order: arity, dtypes, then its
 * descriptor's `validate` rules (shapes, then for int8 ops quantisation
 * constraints). Indices have been range-checked by the structural pass.
 */
export function checkOps(ctx: ValidationContext): void {
  ctx.graph.ops.forEach((op) => {
    const d = (OPS as Partial<Record<string, OpDescriptor<OpKind>>>)[op.kind];
    if (!d) return ctx.failOp(op, 'UNSUPPORTED_OP', `op kind ${String(op.kind)} is not one tinypdm knows`);
    const v = new OpView(ctx, op);
    checkArity(v, d);
    const activation = checkDtypes(v, d);
    d.validate.shape(op, v);
    if (d.weights?.biasRequired) requireBias(v, d.weights.biasSlot);
    if (activation === 'int8') d.validate.int8?.(op, v);
  });
}

function checkArity(v: OpView, d: OpDescriptor<OpKind>): void {
  const { op } = v;
  const [min, max] = d.validate.arity;
  if (op.inputs.length < min || op.inputs.length > max) {
    v.fail('INVALID_GRAPH', `has ${op.inputs.length} inputs, expected ${min === max ? min : `${min} to ${max}`}`);
  }
  // Only a weighted op's bias is optional.
  op.inputs.forEach((id, k) => {
    if (id === -1 && k !== d.weights?.biasSlot) v.fail('INVALID_GRAPH', `lacks its required input ${k}`);
  });
}

/**
 * The op's activation type (its data inputs and output agree on float32 or
 * int8, except QUANTIZE / DEQUANTIZE which convert), and its weights and bias
 * are constants of the matching type: float32 with float32 activations, int8
 * weights and int32 bias with int8 ones. Returns the activation type.
 */
function checkDtypes(v: OpView, d: OpDescriptor<OpKind>): DType {
  const { op } = v;
  const declared = d.validate.data;
  const slots = declared === 'all' ? op.inputs.map((_, k) => k) : (declared ?? [d.weights?.dataSlot ?? 0]);
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
      v.fail('INVALID_GRAPH', `converts ${data[0]!.dtype} to ${out.dtype}; DEQUANTIZE takes int8 to float32`);
    }
    return 'int8';
  }
  const mixed = data.find((t) => t.dtype !== out.dtype);
  if (mixed) v.fail('INVALID_GRAPH', `mixes ${mixed.dtype} input '${mixed.name}' with ${out.dtype} output '${out.name}'`);
  const int8 = out.dtype === 'int8';
  checkConstant(v, d.weights?.slot, 'weights', int8 ? 'int8' : 'float32', int8);
  checkConstant(v, d.weights?.biasSlot, 'bias', int8 ? 'int32' : 'float32', int8);
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
