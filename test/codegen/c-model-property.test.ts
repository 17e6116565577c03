import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TensorData } from '../../src/ir/graph.js';
import { runGraph } from '../../src/runtime/index.js';
import { buildCModels, type CModelCase, type CModelRun } from '../helpers/c-model-build.js';
import { compileHost, runTool } from '../helpers/firmware-build.js';
import { buildRandomGraph, graphSpecArb, RANDOM_OPS, type GraphSpec } from '../helpers/random-graphs.js';
import { mulberry32 } from '../helpers/random.js';

/**
 * Issue 16's third verification: random small graphs (every op, random shapes,
 * strides, paddings, dilations, quantisation; fused and in-place cases arise
 * on their own) compiled to C on both kernel sets equal the reference
 * interpreter on every output. The graphs are a fixed fast-check sample (seeded,
 * so CI is reproducible), batched into one program per compiler: per-graph
 * compiles would take far longer than the checks. A failure names the spec,
 * which rebuilds the graph with buildRandomGraph. The host build runs twice:
 * under the strict warnings, and under AddressSanitizer and UBSan.
 */

const GRAPHS = 70;
const SEED = 1616;

let specs: GraphSpec[];
let cases: CModelCase[];
let expected: Uint8Array[][];

/**
 * AddressSanitizer and UndefinedBehaviorSanitizer (gcc): an out-of-bounds read
 * or write of a constant array or of the activation buffer's edges, a signed
 * overflow, a shift out of range or a misaligned load stops the program, and
 * so the test. -O1 keeps the reports readable.
 */
const SANITIZE = ['-O1', '-g', '-fsanitize=address,undefined', '-fno-sanitize-recover=all', '-fno-omit-frame-pointer'];

const bytes = (t: TensorData) => new Uint8Array(t.buffer, t.byteOffset, t.byteLength).slice();

beforeAll(() => {
  specs = fc.sample(graphSpecArb, { seed: SEED, numRuns: GRAPHS });
  cases = specs.flatMap((spec, i) => {
    const graph = buildRandomGraph(spec, `g${i}`);
    const t = graph.tensors[graph.inputs[0]!]!;
    const n = t.shape.reduce((a, b) => a * b, 1);
    const r = mulberry32(spec.seed);
    const inputs: TensorData[] = Array.from({ length: 3 }, () =>
      t.dtype === 'float32'
        ? Float32Array.from({ length: n }, () => (r() - 0.5) * 20)
        : Int8Array.from({ length: n }, () => Math.floor(r() * 256) - 128),
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
      return r.outputs.some((o, k) => Buffer.compare(Buffer.from(o), Buffer.from(expected[i]![k]!)) !== 0)
        ? [JSON.stringify(specs[Math.floor(i / 2)])]
        : [];
    });
    expect(wrong).toEqual([]);
  }, 600_000);

  it('host gcc with AddressSanitizer and UBSan: no report, and every output still equals the interpreter', async () => {
    const built = await buildCModels(cases, { where: 'host', cflags: SANITIZE });
    expect(mismatches(await built.run(cases))).toEqual([]);
  }, 600_000);

  it('the sanitizers are live with these flags: a read past a constant array stops the program', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tp-sanitize-'));
    // UBSan sees the array's bounds in an index; through a pointer it cannot follow only ASan's redzones catch it.
    const programs = {
      'index.c': ['w[argc + 3]', /runtime error: index 4 out of bounds/],
      'pointer.c': ['p[argc + 3]', /AddressSanitizer: global-buffer-overflow/],
    } as const;
    try {
      for (const [name, [read, report]] of Object.entries(programs)) {
        const src = path.join(dir, name);
        const body = `  const signed char *volatile p = w;\n  (void)argv;\n  printf("%d %d\\n", p[0], ${read});\n  return 0;\n`;
        await writeFile(
          src,
          `#include <stdio.h>\nstatic const signed char w[4] = {1, 2, 3, 4};\nint main(int argc, char **argv) {\n${body}}\n`,
        );
        const exe = await compileHost({ sources: [src], includeDirs: [], output: src.replace(/\.c$/, ''), cflags: SANITIZE });
        await expect(runTool(exe, [], dir), name).rejects.toThrow(report);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
