import { describe, expect, it } from 'vitest';
import { runGraph } from '../../src/runtime/index.js';
import { FAST_KERNELS } from '../../src/runtime/fast/index.js';
import { findRunConfig } from '../../src/run-config.js';
import { quantizedGraph } from '../../src/train/evaluate.js';
import { EXAMPLE_RUN } from '../sketch/helpers.js';
import { CASES, prepareCase } from './cases.js';
import { rng } from './helpers.js';

/**
 * The fast kernels (src/runtime/fast) give exactly the reference kernels'
 * int8 outputs: on every conv case of the op suite (strides, dilations,
 * padding, activations, bias or none) and on a whole trained model.
 */
describe('fast int8 kernels vs the reference interpreter', () => {
  const convCases = CASES.filter((c) => c.build(rng(1)).graph.ops[0]!.kind in FAST_KERNELS);

  it('covers the conv cases of the op suite', () => {
    expect(convCases.length).toBeGreaterThanOrEqual(5);
  });

  it.each(convCases.map((c, i) => [c.name, c, i] as const))('%s: identical int8 outputs', (_name, c, i) => {
    for (let seed = 0; seed < 3; seed++) {
      const { graph, inputs } = prepareCase(c, rng(2000 + 17 * i + seed));
      const ref = runGraph(graph, inputs).outputs[0] as Int8Array;
      const fast = runGraph(graph, inputs, { kernels: FAST_KERNELS }).outputs[0] as Int8Array;
      expect(Buffer.from(fast.buffer, fast.byteOffset, fast.length).equals(Buffer.from(ref.buffer, ref.byteOffset, ref.length))).toBe(true);
    }
  });

  it('the committed example model: identical outputs on varied windows', async () => {
    const { config, dir } = (await findRunConfig(EXAMPLE_RUN))!;
    const g = await quantizedGraph(dir, config);
    const r = rng(77);
    for (let k = 0; k < 3; k++) {
      const q = Int8Array.from({ length: 32 * 32 }, () => Math.floor(r() * 256) - 128);
      const ref = runGraph(g, [q]).outputs[0] as Int8Array;
      const fast = runGraph(g, [q], { kernels: FAST_KERNELS }).outputs[0] as Int8Array;
      expect([...fast]).toEqual([...ref]);
    }
  }, 60_000);
});
