import type { ErrorCode } from '../../util/index.js';
import { isConstant, tensorSize, type Op, type Padding, type Tensor } from '../../ir/index.js';
import { FIX_MODEL, formatShape, sameShape, type ValidationContext } from './context.js';

/**
 * One op as its rules see it: inputs by slot, the output, and checks that fail
 * with the op and the tensor named. Every index has been range-checked by the
 * structural pass, and the slot count by the op's arity.
 */
export class OpView {
  constructor(
    readonly ctx: ValidationContext,
    readonly op: Op,
  ) {}

  get output(): Tensor {
    return this.ctx.tensor(this.op.outputs[0]!);
  }

  has(slot: number): boolean {
    return (this.op.inputs[slot] ?? -1) >= 0;
  }

  input(slot: number): Tensor {
    return this.ctx.tensor(this.op.inputs[slot]!);
  }

  fail(code: ErrorCode, what: string, fix = FIX_MODEL): never {
    return this.ctx.failOp(this.op, code, what, fix);
  }

  rank(t: Tensor, rank: number, role: string): number[] {
    if (t.shape.length !== rank) this.fail('SHAPE_MISMATCH', `${role} ${this.ctx.describeTensor(t)} must have rank ${rank}`);
    return t.shape;
  }

  /** The output's declared shape must be what the op computes from its inputs and options. */
  expectOutput(expected: readonly number[], because: string): void {
    const out = this.output;
    if (!sameShape(out.shape, expected)) {
      this.fail(
        'SHAPE_MISMATCH',
        `output '${out.name}' is declared ${formatShape(out.shape)} but ${because} gives ${formatShape(expected)}`,
      );
    }
  }

  expectShape(t: Tensor, expected: readonly number[], role: string, because: string): void {
    if (!sameShape(t.shape, expected)) {
      this.fail('SHAPE_MISMATCH', `${role} '${t.name}' is ${formatShape(t.shape)} but ${because} needs ${formatShape(expected)}`);
    }
  }

  /** A window size, stride or dilation from the op's options: a whole number ≥ 1. */
  positive(value: number, what: string): number {
    if (!(Number.isSafeInteger(value) && value >= 1)) {
      this.fail('INVALID_GRAPH', `${what} is ${value}, must be a whole number of at least 1`);
    }
    return value;
  }

  /** An int32 constant operand (a shape, paddings, axes or a size), with its expected element count. */
  int32Operand(slot: number, role: string, length?: number): Int32Array {
    const t = this.input(slot);
    if (!isConstant(t) || t.dtype !== 'int32') {
      this.fail(
        'INVALID_GRAPH',
        `${role} '${t.name}' must be a constant int32 tensor (is ${isConstant(t) ? t.dtype : `a computed ${t.dtype}`})`,
      );
    }
    const data = t.data as Int32Array;
    if (length !== undefined && data.length !== length) {
      this.fail('SHAPE_MISMATCH', `${role} '${t.name}' holds ${data.length} values, expected ${length}`);
    }
    return data;
  }

  /** Output length of a windowed op along one axis, as TFLite's padding.h computes it; refused when the window does not fit. */
  windowOutput(padding: Padding, size: number, filter: number, stride: number, dilation: number, axis: string): number {
    const effective = (filter - 1) * dilation + 1;
    const out = padding === 'SAME' ? Math.floor((size + stride - 1) / stride) : Math.floor((size - effective + stride) / stride);
    if (out < 1) {
      this.fail(
        'SHAPE_MISMATCH',
        `its ${axis} window (${effective} with dilation) is larger than the input's ${size} with VALID padding, so the output would be ` +
          `empty`,
      );
    }
    return out;
  }

  elements(t: Tensor): number {
    return tensorSize(t.shape);
  }
}
