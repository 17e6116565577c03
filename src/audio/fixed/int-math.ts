/**
 * Integer helpers for the twin. Every value the twin handles is an integer
 * held exactly in a float64 (|v| < 2^53), so floor-division by a power of two
 * is exact and equals C's arithmetic shift on int64 (tp_asr64).
 */

/** Number of bits needed for a non-negative integer below 2^53 (0 for 0). */
export function bitLength(v: number): number {
  if (v < 4294967296) return 32 - Math.clz32(v);
  return 64 - Math.clz32(Math.floor(v / 4294967296));
}

export function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
