import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TensorData } from '../../src/ir/graph.js';
import { runGraph } from '../../src/runtime/index.js';
import { buildCModels, type CModelCase, type CModelRun } from '../helpers/c-model-build.js';
import { buildRandomGraph, graphSpecArb, RANDOM_OPS, type GraphSpec } from '../helpers/random-graphs.js';
import { mulberry32 } from '../helpers/random.js';

/**
 * Issue 16's third verification: random small graphs (every op, random shapes,
 * strides, paddings, dilations, quantisation; fused and in-place cases arise
 * on their own) compiled to C on both kernel sets equal the reference
 * interpreter on every output. The graphs are a fixed fast-check sample (seeded,
 * so CI is reproducible), batched into one program per compiler: per-graph
 * compiles would take far longer than the checks. A failure names the spec,
 * which rebuilds the graph with buildRandomGraph.
 */

const GRAPHS = 70;
const SEED = 1616;

let specs: GraphSpec[];
let cases: CModelCase[];
let expected: Uint8Array[][];

const bytes = (t: TensorData) => new Uint8Array(t.buffer, t.byteOffset, t.byteLength).slice();

beforeAll(() => {
  specs = fc.sample(graphSpecArb, { seed: SEED, numRuns: GRAPHS });
  cases = specs.flatMap((spec, i) => {
    const graph = buildRandomGraph(spec, `g${i}`);
    const t = graph.tensors[graph.inputs[0]!]!;
    const n = t.shape.reduce((a, b) => a * b, 1);
    const r = mulberry32(spec.seed);
    const inputs: TensorData[] = Array.from({ length: 3 }, () =>
      t.dtype === 'float32' ? Float32Array.from({ length: n }, () => (r() - 0.5) * 20) : Int8Array.from({ length: n }, () => Math.floor(r() * 256) - 128),
    );
    return (['reference', 'cortex-m4'] as const).map((target) => ({ graph, target, inputs }));
  });
  expected = cases.map((c) => c.inputs.map((x) => bytes(runGraph(c.graph, [x]).outputs[0]!)));
});

function mismatches(runs: CModelRun[]): string[] {
  return runs.flatMap((r, i) =>
    r.outputs.some((o, k) => Buffer.compare(Buffer.from(o), Buffer.from(expected[i]![k]!)) !== 0)
      ? [`${cases[i]!.target} ${JSON.stringify(specs[Math.floor(i / 2)])}`]
      : [],
  );
}

describe('random graphs: generated C vs the reference interpreter', () => {
  it('the sample exercises every op, both float and int8 I/O, and the fusions', () => {
    const kinds = new Set(cases.flatMap((c) => c.graph.ops.map((o) => o.kind)));
    for (const k of [...RANDOM_OPS, 'DEQUANTIZE' as const]) expect(kinds, k).toContain(k);
    expect(specs.some((s) => s.floatIo) && specs.some((s) => !s.floatIo)).toBe(true);
  });

  it('host gcc (strict C99): every output equals the interpreter', async () => {
    const built = await buildCModels(cases, { where: 'host' });
    const fused = built.models.flatMap((m) => m.steps.map((s) => s.kinds.join('+')));
    expect(fused.some((k) => k.includes('CONV_2D+MAX_POOL_2D'))).toBe(true);
    expect(fused.some((k) => /(RESIZE_NEAREST_NEIGHBOR|PAD)\+.*CONV_2D/.test(k))).toBe(true);
    expect(mismatches(await built.run(cases))).toEqual([]);
  }, 600_000);

  it('Cortex-M4 on QEMU (the DSP instructions, not their portable fallback): every output equals the interpreter', async () => {
    const m4Cases = cases.filter((c) => c.target === 'cortex-m4');
    const built = await buildCModels(m4Cases, { where: 'm4' });
    const runs = await built.run(m4Cases);
    const wrong = runs.flatMap((r, j) => {
      const i = cases.indexOf(m4Cases[j]!);
      return r.outputs.some((o, k) => Buffer.compare(Buffer.from(o), Buffer.from(expected[i]![k]!)) !== 0) ? [JSON.stringify(specs[Math.floor(i / 2)])] : [];
    });
    expect(wrong).toEqual([]);
  }, 600_000);
});
