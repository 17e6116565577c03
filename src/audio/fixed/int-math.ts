/**
 * Integer helpers for the twin. Every value the twin handles is an integer
 * held exactly in a float64 (|v| < 2^53), so floor-division by a power of two
 * is exact and equals C's arithmetic shift on int64 (tp_asr64).
 */

/** POW2[s] = 2^s, for s in 0..63. */
export const POW2: Float64Array = (() => {
  const t = new Float64Array(64);
  for (let s = 0; s < 64; s++) t[s] = 2 ** s;
  return t;
})();

/** floor(v / 2^s): C's arithmetic right shift of an int64. */
export function asr(v: number, s: number): number {
  return s === 0 ? v : Math.floor(v / POW2[s]!);
}

/** Number of bits needed for a non-negative integer below 2^53 (0 for 0). */
export function bitLength(v: number): number {
  if (v < 4294967296) return 32 - Math.clz32(v);
  return 64 - Math.clz32(Math.floor(v / 4294967296));
}

export function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
