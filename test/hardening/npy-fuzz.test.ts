import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNpy } from '../../src/util/npy.js';
import { applyMutations, FUZZ_RUNS, FUZZ_SEED, mutationsOf, outcome } from './fuzz-helpers.js';

/**
 * parseNpy on generated and hostile .npy bytes. Valid files are encoded here
 * from the format description (NEP 1: magic, version, header length, a
 * Python-dict header padded with spaces and a newline, then the data), not by
 * our writer, so a correct read is checked against the values we put in.
 */
const FILE = 'fuzzed.npy';

interface DtypeSpec {
  descr: string;
  bytes: number;
  write: (v: DataView, at: number, x: number) => void;
  values: fc.Arbitrary<number>;
}
const DTYPES: DtypeSpec[] = [
  { descr: '<f4', bytes: 4, write: (v, o, x) => v.setFloat32(o, x, true), values: fc.float({ noNaN: true }) },
  { descr: '<f8', bytes: 8, write: (v, o, x) => v.setFloat64(o, x, true), values: fc.double({ noNaN: true }) },
  { descr: '|i1', bytes: 1, write: (v, o, x) => v.setInt8(o, x), values: fc.integer({ min: -128, max: 127 }) },
  { descr: '|u1', bytes: 1, write: (v, o, x) => v.setUint8(o, x), values: fc.integer({ min: 0, max: 255 }) },
  { descr: '<i2', bytes: 2, write: (v, o, x) => v.setInt16(o, x, true), values: fc.integer({ min: -32768, max: 32767 }) },
  { descr: '<i4', bytes: 4, write: (v, o, x) => v.setInt32(o, x, true), values: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) },
];

function encode(version: 1 | 2 | 3, header: string, data: Uint8Array): Uint8Array {
  const prefix = version === 1 ? 10 : 12;
  const padded = header + ' '.repeat((64 - ((prefix + header.length + 1) % 64)) % 64) + '\n';
  const text = new TextEncoder().encode(padded);
  const out = new Uint8Array(prefix + text.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, text.length, true);
  else view.setUint32(8, text.length, true);
  out.set(text, prefix);
  out.set(data, prefix + text.length);
  return out;
}

const shapeText = (shape: number[]) => (shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`);

const validNpy = fc
  .record({
    dtype: fc.constantFrom(...DTYPES),
    shape: fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 4 }),
    version: fc.constantFrom(1 as const, 2 as const, 3 as const),
  })
  .chain(({ dtype, shape, version }) =>
    fc.array(dtype.values, { minLength: shape.reduce((a, b) => a * b, 1), maxLength: shape.reduce((a, b) => a * b, 1) }).map((values) => {
      const data = new Uint8Array(values.length * dtype.bytes);
      const view = new DataView(data.buffer);
      values.forEach((x, i) => dtype.write(view, i * dtype.bytes, x));
      const header = `{'descr': '${dtype.descr}', 'fortran_order': False, 'shape': ${shapeText(shape)}, }`;
      return { bytes: encode(version, header, data), shape, values };
    }),
  );

/** Header dicts with hostile values: unknown or prototype-named dtypes, huge, negative or non-numeric dimensions. */
const hostileHeader = fc
  .record({
    descr: fc.oneof(fc.constantFrom('<f4', '|i1', '>f4', '<c8', '__proto__', 'constructor', 'toString', ''), fc.string({ maxLength: 6 })),
    fortran: fc.constantFrom('False', 'True', 'false', '0'),
    dims: fc.array(
      fc.oneof(
        fc.constantFrom('0', '1', '-1', '4294967296', '99999999999999999999', 'x', '', '1e3', '0x10'),
        fc.nat({ max: 2 ** 31 }).map(String),
      ),
      { maxLength: 5 },
    ),
    version: fc.constantFrom(1 as const, 2 as const, 3 as const),
    dataBytes: fc.nat({ max: 64 }),
  })
  .map(({ descr, fortran, dims, version, dataBytes }) =>
    encode(version, `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': (${dims.join(', ')}), }`, new Uint8Array(dataBytes)),
  );

describe('parseNpy fuzz', () => {
  it(`valid files of every dtype, version and shape read back exactly (${FUZZ_RUNS} cases)`, () => {
    fc.assert(
      fc.property(validNpy, ({ bytes, shape, values }) => {
        const r = parseNpy(bytes, FILE);
        expect(r.shape).toEqual(shape);
        expect(Array.from(r.data)).toEqual(values.map((x) => Math.fround(x)));
      }),
      { numRuns: FUZZ_RUNS, seed: FUZZ_SEED },
    );
  });

  it(`mutated files and hostile headers (${FUZZ_RUNS} cases each): a consistent array or CORRUPT_FILE/RESOURCE_LIMIT`, () => {
    const mutated = validNpy.chain((v) => mutationsOf(v.bytes.length).map((m) => applyMutations(v.bytes, m)));
    for (const arb of [mutated, hostileHeader]) {
      fc.assert(
        fc.property(arb, (bytes) => {
          const r = outcome(() => parseNpy(bytes, FILE), FILE);
          if (r.ok) expect(r.value.data.length).toBe(r.value.shape.reduce((a, b) => a * b, 1));
          else expect(['CORRUPT_FILE', 'RESOURCE_LIMIT']).toContain(r.error.code);
        }),
        { numRuns: FUZZ_RUNS, seed: FUZZ_SEED },
      );
    }
  });

  it('names an unknown dtype as such, also when it is the name of an Object member', () => {
    for (const descr of ['__proto__', 'constructor', 'toString', '<c8']) {
      const bytes = encode(1, `{'descr': '${descr}', 'fortran_order': False, 'shape': (2,), }`, new Uint8Array(8));
      const r = outcome(() => parseNpy(bytes, FILE), FILE);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toContain(`dtype ${descr} is not supported`);
    }
  });

  it('a 164-byte file whose header claims 4 GiB of float32 is refused from the header, before any allocation', () => {
    const bytes = encode(1, `{'descr': '<f4', 'fortran_order': False, 'shape': (1073741824,), }`, new Uint8Array(100 - 64));
    expect(bytes.length).toBe(164);
    const r = outcome(() => parseNpy(bytes, FILE), FILE);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('CORRUPT_FILE');
      expect(r.error.message).toContain('needs 4294967296 data bytes but the file holds 36');
    }
  });
});
