import { assertInternal } from '../../../util/index.js';
import { cFloat } from '../sketch/literals.js';

/**
 * C text for the constants the generator computes: arrays in flash and the
 * designated-initialiser parameter structs the kernels read. Pure functions of
 * their numbers, so output is deterministic.
 */

export type CElementType = 'int8_t' | 'int16_t' | 'int32_t';

const PER_LINE: Record<CElementType, number> = { int8_t: 20, int16_t: 16, int32_t: 8 };
const RANGE: Record<CElementType, [number, number]> = {
  int8_t: [-128, 127],
  int16_t: [-32768, 32767],
  int32_t: [-2147483648, 2147483647],
};

/** An integer literal of that type; INT32_MIN needs the subtraction (2147483648 alone is not an int). */
export function cIntLiteral(v: number, type: CElementType = 'int32_t'): string {
  const [lo, hi] = RANGE[type];
  assertInternal(Number.isInteger(v) && v >= lo && v <= hi, `${v} does not fit ${type}`);
  return v === -2147483648 ? '(-2147483647 - 1)' : String(v);
}

/** `static const <type> <name>[n] TP_ALIGNED(4) = { ... };`, a fixed number of values per line. */
export function cArray(type: CElementType, name: string, values: ArrayLike<number>): string {
  const n = values.length;
  assertInternal(n > 0, `array ${name} is empty`);
  const lines: string[] = [];
  for (let i = 0; i < n; i += PER_LINE[type]) {
    const row: string[] = [];
    for (let j = i; j < Math.min(n, i + PER_LINE[type]); j++) row.push(cIntLiteral(values[j]!, type));
    lines.push(`  ${row.join(', ')},`);
  }
  return `static const ${type} ${name}[${n}] TP_ALIGNED(4) = {\n${lines.join('\n')}\n};`;
}

/** A struct field value: a number is an int32 literal, a string is a C expression (a symbol, NULL). */
export type CFieldValue = number | string | readonly number[] | { float: number };

function fieldValue(v: CFieldValue): string {
  if (typeof v === 'number') return cIntLiteral(v);
  if (typeof v === 'string') return v;
  if ('float' in v) return cFloat(v.float);
  return `{${v.map((x) => cIntLiteral(x)).join(', ')}}`;
}

/** `static const <type> <name> = { .field = value, ... };` */
export function cStruct(type: string, name: string, fields: Record<string, CFieldValue>): string {
  const body = Object.entries(fields).map(([k, v]) => `  .${k} = ${fieldValue(v)},`);
  return `static const ${type} ${name} = {\n${body.join('\n')}\n};`;
}
