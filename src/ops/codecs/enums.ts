import type { Activation, Padding as IrPadding } from '../../ir/index.js';
import { ActivationFunctionType, Padding } from '../../tflite/index.js';
import type { ReadContext } from './codec.js';

/** IR <-> TFLite enum values (schema: ActivationFunctionType, Padding). */

const ACTIVATION_TO_TFLITE: Record<Activation, ActivationFunctionType> = {
  NONE: ActivationFunctionType.NONE,
  RELU: ActivationFunctionType.RELU,
  RELU_N1_TO_1: ActivationFunctionType.RELU_N1_TO_1,
  RELU6: ActivationFunctionType.RELU6,
};

export function activationToTflite(a: Activation): ActivationFunctionType {
  return ACTIVATION_TO_TFLITE[a];
}

export function activationFromTflite(v: number, ctx: ReadContext): Activation {
  for (const [name, code] of Object.entries(ACTIVATION_TO_TFLITE)) if (code === v) return name as Activation;
  if (v === ActivationFunctionType.TANH || v === ActivationFunctionType.SIGN_BIT) {
    ctx.unsupported(`fused activation ${ActivationFunctionType[v]}; supported: ${Object.keys(ACTIVATION_TO_TFLITE).join(', ')}`);
  }
  return ctx.corrupt(`unknown fused activation value ${v}`);
}

export function paddingToTflite(p: IrPadding): Padding {
  return p === 'SAME' ? Padding.SAME : Padding.VALID;
}

export function paddingFromTflite(v: number, ctx: ReadContext): IrPadding {
  if (v === Padding.SAME) return 'SAME';
  if (v === Padding.VALID) return 'VALID';
  return ctx.corrupt(`unknown padding value ${v}`);
}

/** Strides, dilations and window sizes: a 0 or negative value would divide by zero or loop forever downstream. */
export function positive(v: number, what: string, ctx: ReadContext): number {
  if (!(v >= 1)) ctx.corrupt(`${what} is ${v}, must be at least 1`);
  return v;
}
