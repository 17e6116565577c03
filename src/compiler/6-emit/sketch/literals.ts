import { assertInternal } from '../../../util/index.js';
/**
 * C literals for numbers computed in TS. A float32 printed with 9 significant
 * digits reads back as exactly the same float32, so the device sees the value
 * the TypeScript twin uses (Math.fround).
 */
export function cFloat(x: number): string {
  const f = Math.fround(x);
  assertInternal(Number.isFinite(f), `${x} has no float literal`);
  const s = f.toPrecision(9);
  return `${/[.e]/.test(s) ? s : `${s}.0`}f`;
}

export function cInt(n: number): string {
  assertInternal(Number.isSafeInteger(n), `${n} is not an integer`);
  return String(n);
}

/** An unsigned literal for a size or count. */
export function cUnsigned(n: number): string {
  assertInternal(Number.isSafeInteger(n) && n >= 0, `${n} is not a size`);
  return `${n}u`;
}
