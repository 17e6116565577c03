import fc from 'fast-check';
import { expect } from 'vitest';
import { TinyPdmError } from '../../src/util/errors.js';
import { tensorSize, type Graph } from '../../src/ir/graph.js';

/**
 * Shared pieces of the fuzz suites: byte mutations of a valid file, and the
 * one property every reader must keep on hostile input: it returns a result
 * or throws a one-line TinyPdmError naming the file; nothing else.
 */

/** Cases per suite; CI runs every suite at this count (issue 8: at least 10,000). */
export const FUZZ_RUNS = Number(process.env['TINYPDM_FUZZ_RUNS'] ?? 10_000);
/** Fixed so a failure in CI replays locally; fast-check prints the counterexample path. */
export const FUZZ_SEED = Number(process.env['TINYPDM_FUZZ_SEED'] ?? 8_008);

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: TinyPdmError };

/** Runs `read`; any throw that is not a clean, one-line TinyPdmError naming `fileName` is rethrown as a test failure. */
export function outcome<T>(read: () => T, fileName: string): Outcome<T> {
  try {
    return { ok: true, value: read() };
  } catch (e) {
    return { ok: false, error: checkedError(e, fileName) };
  }
}

export async function outcomeAsync<T>(read: () => Promise<T>, fileName: string): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (e) {
    return { ok: false, error: checkedError(e, fileName) };
  }
}

function checkedError(e: unknown, fileName: string): TinyPdmError {
  if (!(e instanceof TinyPdmError)) {
    throw new Error(`not a TinyPdmError: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, { cause: e });
  }
  if (e.message.includes('\n')) throw new Error(`multi-line user error: ${JSON.stringify(e.message)}`);
  if (!e.message.includes(fileName)) throw new Error(`user error does not name the file ${fileName}: ${e.message}`);
  return e;
}

export type Mutation =
  | { kind: 'byte'; at: number; value: number }
  | { kind: 'u32'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'copy'; from: number; to: number; length: number };

/** 32-bit values that break naive readers: zero, sign bits, all ones, sizes around the file's own length. */
const hostileU32 = (fileLength: number) =>
  fc.oneof(
    fc.constantFrom(0, 1, 2, 4, 0x7fffffff, 0x80000000, 0xfffffffc, 0xffffffff, fileLength, fileLength - 4, fileLength + 4),
    fc.integer({ min: 0, max: 0xffffffff }),
    fc.integer({ min: 0, max: Math.max(0, fileLength * 2) }),
  );

/** 1 to 4 mutations, positions inside a file of `length` bytes (u32 writes are 4-aligned half the time, where flatbuffer offsets live). */
export function mutationsOf(length: number): fc.Arbitrary<Mutation[]> {
  const pos = fc.integer({ min: 0, max: length - 1 });
  const pos4 = fc.integer({ min: 0, max: Math.max(0, Math.floor((length - 4) / 4)) }).map((i) => i * 4);
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('byte' as const), at: pos, value: fc.integer({ min: 0, max: 255 }) }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('u32' as const), at: fc.oneof(pos4, pos), value: hostileU32(length) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: pos }) },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('copy' as const), from: pos, to: pos, length: fc.integer({ min: 1, max: 64 }) }),
    },
  );
  return fc.array(mutation, { minLength: 1, maxLength: 4 });
}

export function applyMutations(original: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let bytes = original.slice();
  for (const m of mutations) {
    switch (m.kind) {
      case 'byte':
        if (m.at < bytes.length) bytes[m.at] = m.value;
        break;
      case 'u32':
        if (m.at + 4 <= bytes.length) new DataView(bytes.buffer, bytes.byteOffset).setUint32(m.at, m.value, true);
        break;
      case 'truncate':
        bytes = bytes.slice(0, Math.min(m.at, bytes.length));
        break;
      case 'copy': {
        const chunk = bytes.slice(m.from, m.from + m.length);
        if (m.to < bytes.length) bytes.set(chunk.subarray(0, bytes.length - m.to), m.to);
        break;
      }
    }
  }
  return bytes;
}

/** What every consumer of a read or loaded graph relies on: indices in range, constant data the size its shape says. */
export function expectConsistentGraph(g: Graph): void {
  const n = g.tensors.length;
  for (const op of g.ops) {
    for (const id of op.inputs) expect(id === -1 || (id >= 0 && id < n), `${op.name} input ${id}`).toBe(true);
    for (const id of op.outputs) expect(id >= 0 && id < n, `${op.name} output ${id}`).toBe(true);
  }
  for (const id of [...g.inputs, ...g.outputs]) expect(id >= 0 && id < n).toBe(true);
  for (const t of g.tensors) {
    expect(
      t.shape.every((d) => Number.isInteger(d) && d >= 0),
      `${t.name} [${t.shape.join(', ')}]`,
    ).toBe(true);
    if (t.data) expect(t.data.length, t.name).toBe(tensorSize(t.shape));
  }
}
