import type { OpKind } from '../../ir/index.js';
import { BuiltinOperator } from '../../tflite/index.js';
import { OPS } from '../registry.js';
import type { OpCodec } from './codec.js';

export type { OpCodec, ReadContext, WriteContext } from './codec.js';

/** Builtin code → codec, derived from the registry (no second list to keep in step). */
const BY_BUILTIN_CODE = new Map<number, OpCodec<OpKind>>(Object.values(OPS).map((d) => [d.codec.builtinCode, d.codec as OpCodec<OpKind>]));

export function codecForBuiltinCode(code: number): OpCodec<OpKind> | undefined {
  return BY_BUILTIN_CODE.get(code);
}

/** A builtin code's name for messages: "MUL (18)", or "builtin code 250" when we don't know it. */
export function builtinCodeName(code: number): string {
  const name = BuiltinOperator[code];
  return name === undefined ? `builtin code ${code}` : `${name} (${code})`;
}
