import { beforeAll, describe, expect, it } from 'vitest';
import { generateCModel, KERNEL_TARGETS, type KernelTarget } from '../../src/compiler/6-emit/c-model/index.js';
import { GraphBuilder } from '../../src/ir/builder.js';
import type { Graph, TensorData } from '../../src/ir/graph.js';
import { runGraph } from '../../src/runtime/index.js';
import { buildCModels, type CModelCase, type CModelRun } from '../helpers/c-model-build.js';
import { exampleRunModel, fixtureModels, oneOpModels, paperWithRandomWeights, randomInputs, type NamedModel } from './c-model-models.js';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Issue 16's verification of the C runtime, first two ways: the generated C
 * compiled with host gcc under -std=c99 -Wall -Wextra -Wconversion -Wpedantic
 * -Werror equals tinypdm's reference interpreter (so TFLM) on every output,
 * 0 LSB, for both kernel sets; and the same C compiled with arm-none-eabi-gcc
 * and run on QEMU mps2-an386 gives the same bytes. All models share one
 * compile per compiler. (The third way, random graphs, is c-model-property.test.ts.)
 */

const bannner = { version: 'test', command: 'test' };
let models: NamedModel[];
let cases: CModelCase[];
let expected: Uint8Array[][];
let host: CModelRun[];
let m4: CModelRun[];

const bytes = (t: TensorData) => new Uint8Array(t.buffer, t.byteOffset, t.byteLength).slice();

beforeAll(async () => {
  const work = await mkdtemp(path.join(tmpdir(), 'tp-cmodel-test-'));
  models = [
    { name: 'paper 32x32 random weights', graph: paperWithRandomWeights(32, 32, 1), inputs: [] },
    { name: 'paper 16x24 random weights', graph: paperWithRandomWeights(16, 24, 2), inputs: [] },
    await exampleRunModel(work, 6),
    ...(await fixtureModels()),
    ...oneOpModels(),
  ].map((m) => (m.inputs.length > 0 ? m : { ...m, inputs: randomInputs(m.graph, 4, m.name.length) }));
  cases = models.flatMap((m) => KERNEL_TARGETS.map((target: KernelTarget) => ({ graph: m.graph, target, inputs: m.inputs })));
  expected = cases.map((c) => c.inputs.map((x) => bytes(runGraph(c.graph, [x]).outputs[0]!)));
  const [h, m] = await Promise.all([buildCModels(cases, { where: 'host' }), buildCModels(cases, { where: 'm4' })]);
  host = await h.run(cases);
  m4 = await m.run(cases);
}, 900_000);

const label = (i: number) => `${models[Math.floor(i / KERNEL_TARGETS.length)]!.name} [${cases[i]!.target}]`;

describe('generated C vs the reference interpreter', () => {
  it('covers every op the Keras lowering produces, on both kernel sets', () => {
    const kinds = new Set(cases.flatMap((c) => c.graph.ops.map((o) => o.kind)));
    for (const k of [
      'CONV_2D',
      'DEPTHWISE_CONV_2D',
      'FULLY_CONNECTED',
      'MAX_POOL_2D',
      'AVERAGE_POOL_2D',
      'MEAN',
      'RESIZE_NEAREST_NEIGHBOR',
      'TRANSPOSE_CONV',
      'PAD',
      'ADD',
      'CONCATENATION',
      'RESHAPE',
      'SOFTMAX',
      'LOGISTIC',
      'RELU',
      'RELU6',
      'LEAKY_RELU',
      'QUANTIZE',
      'DEQUANTIZE',
    ]) {
      expect(kinds, k).toContain(k);
    }
    expect(models.length).toBeGreaterThan(30);
  });

  it('host gcc: every output of every model equals the interpreter, 0 LSB', () => {
    const wrong = host
      .flatMap((r, i) =>
        r.outputs.map((o, k) =>
          Buffer.compare(Buffer.from(o), Buffer.from(expected[i]![k]!)) === 0 ? undefined : `${label(i)} input ${k}`,
        ),
      )
      .filter(Boolean);
    expect(wrong).toEqual([]);
    expect(host.reduce((n, r) => n + r.outputs.length, 0)).toBeGreaterThan(150);
  });

  it('Cortex-M4 on QEMU: the same bytes as the host', () => {
    const wrong = m4
      .flatMap((r, i) =>
        r.outputs.map((o, k) =>
          Buffer.compare(Buffer.from(o), Buffer.from(expected[i]![k]!)) === 0 ? undefined : `${label(i)} input ${k}`,
        ),
      )
      .filter(Boolean);
    expect(wrong).toEqual([]);
  });

  it('the optimised kernels fuse the paper model: conv + pool and resize + conv, so the full-resolution outputs are never stored', () => {
    const i = cases.findIndex((c, k) => models[Math.floor(k / 2)]!.name === 'example-run' && c.target === 'cortex-m4');
    expect(host[i]!.model.steps.map((s) => s.kinds.join('+'))).toEqual([
      'CONV_2D+MAX_POOL_2D',
      'CONV_2D+MAX_POOL_2D',
      'CONV_2D',
      'RESIZE_NEAREST_NEIGHBOR+CONV_2D',
      'RESIZE_NEAREST_NEIGHBOR+CONV_2D',
    ]);
    // The reference set runs every op; its buffer holds at least the largest tensor plus its input.
    const ref = host[i - 1]!.model;
    expect(ref.steps).toHaveLength(9);
    expect(host[i]!.model.arenaBytes).toBeLessThan(ref.arenaBytes / 2);
  });

  it("the arena the model declares is the planner's, and no two live buffers share bytes", () => {
    for (const r of host) {
      const { plan, files, name } = r.model;
      expect(files[`${name}.c`]).toContain(`static int32_t ${name}_arena_words[${Math.max(1, plan.arenaBytes / 4)}];`);
      const bs = plan.buffers;
      for (let a = 0; a < bs.length; a++) {
        for (let b = a + 1; b < bs.length; b++) {
          const live = !(bs[a]!.firstStep > bs[b]!.lastStep || bs[b]!.firstStep > bs[a]!.lastStep);
          const shared = bs[a]!.offset < bs[b]!.offset + bs[b]!.size && bs[b]!.offset < bs[a]!.offset + bs[a]!.size;
          expect(live && shared, `${name}: buffers ${a} and ${b}`).toBe(false);
        }
      }
    }
  });

  it('a changed weight changes the C output (the comparison can fail)', async () => {
    const g = structuredClone<Graph>(models[0]!.graph);
    const w = g.tensors[g.ops[8]!.inputs[1]!]!.data as Int8Array;
    for (let k = 0; k < w.length; k++) w[k] = w[k] === 127 ? 126 : w[k]! + 1;
    const c: CModelCase = { graph: g, target: 'cortex-m4', inputs: models[0]!.inputs.slice(0, 1) };
    const [r] = await (await buildCModels([c], { where: 'host' })).run([c]);
    expect(Buffer.compare(Buffer.from(r!.outputs[0]!), Buffer.from(expected[1]![0]!))).not.toBe(0);
  });
});

describe('what the C runtime refuses', () => {
  const tiny = (kind: 'softmax-long' | 'two-inputs' | 'float-op'): Graph => {
    const b = new GraphBuilder(`refused-${kind}`);
    const q = { scale: [0.05], zeroPoint: [0], axis: 0 };
    if (kind === 'softmax-long') {
      const x = b.addTensor('x', [1, 600], 'int8', undefined, q);
      const y = b.addTensor('y', [1, 600], 'int8', undefined, { scale: [1 / 256], zeroPoint: [-128], axis: 0 });
      b.addOp('SOFTMAX', 'probs', [x], [y], { beta: 1 });
      b.inputs = [x];
      b.outputs = [y];
    } else if (kind === 'two-inputs') {
      const x = b.addTensor('x', [1, 4], 'int8', undefined, q);
      const z = b.addTensor('z', [1, 4], 'int8', undefined, q);
      const y = b.addTensor('y', [1, 4], 'int8', undefined, q);
      b.addOp('ADD', 'sum', [x, z], [y], { activation: 'NONE' });
      b.inputs = [x, z];
      b.outputs = [y];
    } else {
      const x = b.addTensor('x', [1, 4], 'float32');
      const y = b.addTensor('y', [1, 4], 'float32');
      b.addOp('RELU', 'float_relu', [x], [y], {});
      b.inputs = [x];
      b.outputs = [y];
    }
    return b.build();
  };

  it.each([
    ['softmax-long', /op 'probs' \(SOFTMAX\) is not supported by the C runtime: rows of 600 values.*--runtime tflm/],
    ['two-inputs', /one input and one output, this one has 2 and 1; emit with --runtime tflm/],
    ['float-op', /op 'float_relu' \(RELU\) has float32 tensor 'x'.*--runtime tflm/],
  ] as const)('%s: UNSUPPORTED_OP naming the op and suggesting --runtime tflm', (kind, message) => {
    expect(() => generateCModel(tiny(kind), { target: 'cortex-m4', banner: bannner })).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_OP', message: expect.stringMatching(message) }),
    );
  });

  it('an op kind the C runtime has no emitter for lists the supported ones', () => {
    const g = tiny('float-op');
    (g.ops[0] as { kind: string }).kind = 'SQUARED_DIFFERENCE';
    expect(() => generateCModel(g, { target: 'reference', banner: bannner })).toThrow(
      /is SQUARED_DIFFERENCE, which the C runtime does not compile; supported: CONV_2D, .*DEQUANTIZE; emit with --runtime tflm/,
    );
  });
});
