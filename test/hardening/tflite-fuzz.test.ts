import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/ir/builder.js';
import type { Graph } from '../../src/ir/graph.js';
import { allOpsGraph } from '../tflite/fixtures.js';
import { applyMutations, expectConsistentGraph, FUZZ_RUNS, FUZZ_SEED, mutationsOf, outcome } from './fuzz-helpers.js';
import { readTflite, writeTflite } from '../../src/compiler/index.js';

/**
 * readTflite on hostile bytes: valid files written by writeTflite (every op
 * kind, float32 and int8) are mutated (bytes, 32-bit offsets and lengths,
 * truncation, copied regions) and must either read into a consistent graph or
 * fail with a one-line CORRUPT_FILE / UNSUPPORTED_* / RESOURCE_LIMIT.
 */
const FILE = 'fuzzed.tflite';
const USER_CODES = new Set(['CORRUPT_FILE', 'UNSUPPORTED_OP', 'UNSUPPORTED_FORMAT', 'RESOURCE_LIMIT']);

const smallConv = (): Graph => {
  const b = new GraphBuilder('small');
  const x = b.addTensor('x', [1, 4, 4, 2], 'float32');
  const y = b.addTensor('y', [1, 4, 4, 3], 'float32');
  b.addOp('CONV_2D', 'conv', [x, b.addConst('w', [3, 1, 1, 2], new Float32Array(6).fill(0.5), 'float32'), -1], [y], {
    padding: 'SAME',
    strideH: 1,
    strideW: 1,
    dilationH: 1,
    dilationW: 1,
    activation: 'NONE',
  });
  b.inputs = [x];
  b.outputs = [y];
  return b.build();
};

const BASES = [smallConv(), allOpsGraph('float32'), allOpsGraph('int8')].map((g) => ({
  graph: g,
  bytes: writeTflite(g, { description: 'fuzz base' }),
}));

describe('readTflite fuzz', () => {
  it('reads every unmutated base file back to the graph that was written', () => {
    for (const { graph, bytes } of BASES) {
      const r = outcome(() => readTflite(bytes, FILE), FILE);
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.value.ops.map((o) => o.kind)).toEqual(graph.ops.map((o) => o.kind));
    }
  });

  it(`mutated files (${FUZZ_RUNS} cases): a consistent graph or a clean user error`, () => {
    const arb = fc.integer({ min: 0, max: BASES.length - 1 }).chain((i) => fc.tuple(fc.constant(i), mutationsOf(BASES[i]!.bytes.length)));
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(arb, ([i, mutations]) => {
        const bytes = applyMutations(BASES[i]!.bytes, mutations);
        const r = outcome(() => readTflite(bytes, FILE), FILE);
        const key = r.ok ? 'ok' : r.error.code;
        seen.set(key, (seen.get(key) ?? 0) + 1);
        if (r.ok) expectConsistentGraph(r.value);
        else expect(USER_CODES.has(r.error.code), r.error.message).toBe(true);
      }),
      { numRuns: FUZZ_RUNS, seed: FUZZ_SEED },
    );
    // The mutations reach both outcomes, so neither branch is vacuous.
    expect(seen.get('ok') ?? 0).toBeGreaterThan(FUZZ_RUNS / 100);
    expect(seen.get('CORRUPT_FILE') ?? 0).toBeGreaterThan(FUZZ_RUNS / 10);
  });

  it(`every truncation of every base file is CORRUPT_FILE`, () => {
    for (const { bytes } of BASES) {
      for (let len = 0; len < bytes.length; len += 1) {
        const r = outcome(() => readTflite(bytes.subarray(0, len), FILE), FILE);
        expect(r.ok, `truncated to ${len}`).toBe(false);
        if (!r.ok) expect(r.error.code).toBe('CORRUPT_FILE');
      }
    }
  });
});
