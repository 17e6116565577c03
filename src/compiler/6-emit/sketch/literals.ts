/**
 * C literals for numbers computed in TS. A float32 printed with 9 significant
 * digits reads back as exactly the same float32, so the device sees the value
 * the TypeScript twin uses (Math.fround).
 */
export function cFloat(x: number): string {
  const f = Math.fround(x);
  if (!Number.isFinite(f)) throw new Error(`internal error: ${x} has no float literal`);
  const s = f.toPrecision(9);
  return `${/[.e]/.test(s) ? s : `${s}.0`}f`;
}

export function cInt(n: number): string {
  if (!Number.isSafeInteger(n)) throw new Error(`internal error: ${n} is not an integer`);
  return String(n);
}

/** An unsigned literal for a size or count. */
export function cUnsigned(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`internal error: ${n} is not a size`);
  return `${n}u`;
}
