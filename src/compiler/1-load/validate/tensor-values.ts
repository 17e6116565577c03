import { isConstant, tensorSize, type Graph, type Tensor } from '../../../ir/index.js';
import { FIX_MODEL, type ValidationContext } from '../../../ops/index.js';

/**
 * Per-tensor checks that need no op rule: quantisation parameters (TFLite's
 * QuantizationParameters: real = scale · (q − zero_point)) and constant data.
 * Each error names the tensor, an op that uses it, and the first bad element.
 */

const INT_RANGE = { int8: [-128, 127], int32: [-(2 ** 31), 2 ** 31 - 1] } as const;

export function checkTensorValues(ctx: ValidationContext): void {
  const user = firstUser(ctx.graph);
  for (const t of ctx.graph.tensors) {
    const where = user.get(t.id);
    const named = `tensor '${t.name}'${where === undefined ? '' : ` (${ctx.describeOp(ctx.graph.ops[where]!, where)})`}`;
    checkQuant(ctx, t, named);
    if (isConstant(t)) checkData(ctx, t, named);
  }
}

/** The first op that reads or writes each tensor, to name the layer in messages. */
function firstUser(g: Graph): Map<number, number> {
  const user = new Map<number, number>();
  g.ops.forEach((op, i) => {
    for (const id of [...op.inputs, ...op.outputs]) if (id >= 0 && !user.has(id)) user.set(id, i);
  });
  return user;
}

function checkQuant(ctx: ValidationContext, t: Tensor, named: string): void {
  const q = t.quant;
  const fix = 're-quantise the model (tinypdm emit with --calib) or re-export it with the TFLite converter';
  if (!q || t.dtype === 'float32') {
    if (t.dtype === 'int8' && !isConstant(t)) {
      ctx.fail('QUANTIZATION', `${named} is int8 but has no quantisation params (scale, zero point)`, fix);
    }
    return;
  }
  const n = q.scale.length;
  if (n === 0 || n !== q.zeroPoint.length) {
    ctx.fail('QUANTIZATION', `${named} has ${n} scales and ${q.zeroPoint.length} zero points; they must be equally many, at least 1`, fix);
  }
  if (!isConstant(t) && n !== 1) {
    ctx.fail('QUANTIZATION', `${named} is an activation with ${n} scales; activations are quantised per tensor (one scale)`, fix);
  }
  if (n > 1 && !(Number.isInteger(q.axis) && q.axis >= 0 && q.axis < t.shape.length && t.shape[q.axis] === n)) {
    ctx.fail('QUANTIZATION', `${named} has ${n} scales along quantized_dimension ${q.axis} of shape [${t.shape.join(', ')}]`, fix);
  }
  for (let k = 0; k < n; k++) {
    // Runtimes keep scales as float32: a positive double that rounds to 0 or Infinity is as bad as 0.
    const s = Math.fround(q.scale[k]!);
    if (!(Number.isFinite(s) && s > 0)) {
      ctx.fail(
        'QUANTIZATION',
        `${named} has scale ${q.scale[k]}${n > 1 ? ` (channel ${k} of ${n})` : ''}; a scale must be a finite positive float32`,
        fix,
      );
    }
    const z = q.zeroPoint[k]!;
    const range = t.dtype === 'int8' ? INT_RANGE.int8 : INT_RANGE.int32;
    if (!(Number.isInteger(z) && z >= range[0] && z <= range[1])) {
      ctx.fail(
        'QUANTIZATION',
        `${named} has zero point ${z}${n > 1 ? ` (channel ${k})` : ''}; it must be an integer in [${range[0]}, ${range[1]}] for ${t.dtype}`,
        fix,
      );
    }
  }
}

/** Constant data matches its shape, and float constants (weights, biases) are finite. */
function checkData(ctx: ValidationContext, t: Tensor, named: string): void {
  const data = t.data!;
  if (data.length !== tensorSize(t.shape)) {
    ctx.fail(
      'INVALID_GRAPH',
      `${named} holds ${data.length} values but its shape [${t.shape.join(', ')}] needs ${tensorSize(t.shape)}`,
      FIX_MODEL,
    );
  }
  if (!(data instanceof Float32Array)) return;
  for (let i = 0; i < data.length; i++) {
    const x = data[i]!;
    if (x - x !== 0) {
      ctx.fail(
        'NON_FINITE',
        `${named} holds ${x} at index ${i}${indexInShape(i, t.shape)}; weights and biases must be finite numbers`,
        'the training diverged or the file is damaged: retrain, or re-export the model',
      );
    }
  }
}

/** " [c, y, x, k]" for a flat index in a multi-dimensional tensor, "" for a vector. */
function indexInShape(i: number, shape: readonly number[]): string {
  if (shape.length < 2) return '';
  const idx: number[] = [];
  let rest = i;
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(rest % shape[d]!);
    rest = Math.floor(rest / shape[d]!);
  }
  return ` (element [${idx.join(', ')}] of [${shape.join(', ')}], the TFLite layout)`;
}
