import { describe, expect, it } from 'vitest';
import { TinyPdmError } from '../../src/util/errors.js';
import {
  buildPasses,
  clusterWeights,
  pruneChannels,
  pruneMagnitude,
  runPasses,
  sharedScaleWeights,
} from '../../src/compiler/2-optimize/index.js';
import { runGraph } from '../../src/runtime/index.js';
import { chainGraph, inputs, poolOnlyGraph, residualGraph } from './graphs.js';
import { calibrate, quantizeInt8 } from '../../src/compiler/index.js';
import { type Graph, tensorSize, type Tensor } from '../../src/ir/index.js';

const weightsOf = (g: Graph) => g.ops.filter((o) => o.kind === 'CONV_2D').map((o) => g.tensors[o.inputs[1]!]!);
const biasesOf = (g: Graph) => g.ops.filter((o) => o.kind === 'CONV_2D').map((o) => g.tensors[o.inputs[2]!]!);
const abs = (t: Tensor) => Array.from(t.data as Float32Array, Math.abs);

function quantize(g: Graph): Graph {
  const calib = inputs(4, 64, 9);
  const flat = new Float32Array(calib.length * 64);
  calib.forEach((x, i) => flat.set(x, i * 64));
  return quantizeInt8(g, { ranges: calibrate(g, flat, 'calib'), io: 'int8' });
}

function expectBadArgument(f: () => unknown, message: RegExp): void {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TinyPdmError);
    expect((e as TinyPdmError).code).toBe('BAD_ARGUMENT');
    expect((e as Error).message).toMatch(message);
    return;
  }
  throw new Error(`expected BAD_ARGUMENT matching ${message}`);
}

describe('pruneMagnitude', () => {
  it('per layer: zeroes exactly floor(S n) smallest weights of every layer, leaves biases and the input graph alone', () => {
    const g = chainGraph();
    const before = JSON.stringify(weightsOf(g).map(abs));
    const p = pruneMagnitude(g, { sparsity: 0.6, scope: 'layer' });
    expect(JSON.stringify(weightsOf(g).map(abs))).toBe(before);
    weightsOf(p).forEach((t, i) => {
      const original = abs(weightsOf(g)[i]!);
      const w = Array.from(t.data as Float32Array);
      const pruned = original.filter((_, k) => w[k] === 0);
      const kept = original.filter((_, k) => w[k] !== 0);
      expect(pruned.length, t.name).toBe(Math.floor(0.6 * w.length));
      expect(Math.max(...pruned)).toBeLessThanOrEqual(Math.min(...kept));
      // Kept weights keep their exact value.
      w.forEach((v, k) => v !== 0 && expect(v).toBe((weightsOf(g)[i]!.data as Float32Array)[k]));
    });
    expect(biasesOf(p).map((t) => Array.from(t.data as Float32Array))).toEqual(biasesOf(g).map((t) => Array.from(t.data as Float32Array)));
  });

  it('global: one threshold over all layers, so a layer of small weights loses more', () => {
    const g = chainGraph(1, [0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01]);
    const p = pruneMagnitude(g, { sparsity: 0.3, scope: 'global' });
    const all = weightsOf(g).flatMap(abs);
    const after = weightsOf(p).flatMap((t) => Array.from(t.data as Float32Array));
    expect(after.filter((v) => v === 0).length).toBe(Math.floor(0.3 * all.length));
    const threshold = Math.max(...all.filter((_, k) => after[k] === 0));
    expect(threshold).toBeLessThanOrEqual(Math.min(...all.filter((_, k) => after[k] !== 0)));
    // conv1 (72 tiny weights) is pruned completely; the others far less than 30%.
    expect(Array.from(weightsOf(p)[0]!.data as Float32Array).every((v) => v === 0)).toBe(true);
  });

  it('zeros stay zero through int8 quantisation', () => {
    const p = pruneMagnitude(chainGraph(), { sparsity: 0.5, scope: 'layer' });
    const q = quantize(p);
    weightsOf(p).forEach((t, i) => {
      const qi = weightsOf(q)[i]!.data as Int8Array;
      (t.data as Float32Array).forEach((v, k) => v === 0 && expect(qi[k]).toBe(0));
    });
  });

  it('S = 0 changes nothing; a model without weights gets a warning, not an error', () => {
    expect(weightsOf(pruneMagnitude(chainGraph(), { sparsity: 0, scope: 'layer' })).map(abs)).toEqual(weightsOf(chainGraph()).map(abs));
    const warnings: string[] = [];
    const p = pruneMagnitude(poolOnlyGraph(), { sparsity: 0.5, scope: 'global' }, (m) => warnings.push(m));
    expect(p).toEqual(poolOnlyGraph());
    expect(warnings).toEqual([expect.stringMatching(/pool-only: --prune 0.5 has nothing to prune .* unchanged/)]);
  });
});

describe('pruneChannels', () => {
  it('removes the weakest filters consistently: the smaller graph computes what the original does with those filters zeroed', () => {
    // Filters 1, 3, 6 and 7 of conv1 are tiny, so L1 ranks them lowest.
    const scale = [1, 0.01, 1, 0.02, 1, 1, 0.03, 0.04];
    const g = chainGraph(2, scale);
    const warnings: string[] = [];
    const p = pruneChannels(g, { fraction: 0.5, norm: 'l1' }, (m) => warnings.push(m));
    const shapes = (gr: Graph) =>
      gr.tensors
        .filter((t) => ['conv1/w', 'conv1/b', 'conv1', 'pool1', 'pad', 'conv2/w', 'conv2/b', 'conv2', 'up', 'conv3/w'].includes(t.name))
        .map((t) => [t.name, t.shape]);
    expect(shapes(p)).toEqual([
      ['conv1/w', [4, 3, 3, 1]],
      ['conv1/b', [4]],
      ['conv1', [1, 8, 8, 4]],
      ['pool1', [1, 4, 4, 4]],
      ['pad', [1, 6, 6, 4]],
      ['conv2/w', [3, 3, 3, 4]],
      ['conv2/b', [3]],
      ['conv2', [1, 4, 4, 3]],
      ['up', [1, 8, 8, 3]],
      ['conv3/w', [1, 3, 3, 3]],
    ]);
    expect(warnings).toEqual([expect.stringMatching(/^conv3: filters kept; .*'y' is a model output/)]);

    // Reference: the original graph with conv1's filters 1, 3, 6, 7 and conv2's removed filters zeroed (weights and bias):
    // under ReLU those channels are exactly 0 and contribute nothing downstream.
    const ref = structuredClone(g);
    const zeroFilter = (t: Tensor, c: number) =>
      (t.data as Float32Array).fill(0, c * (t.data!.length / t.shape[0]!), (c + 1) * (t.data!.length / t.shape[0]!));
    for (const c of [1, 3, 6, 7]) {
      zeroFilter(weightsOf(ref)[0]!, c);
      (biasesOf(ref)[0]!.data as Float32Array)[c] = 0;
    }
    // conv2's kept filters are those with the 3 largest L1 norms over the kept input channels, recomputed here.
    const w2 = weightsOf(g)[1]!.data as Float32Array;
    const norms = [0, 1, 2, 3, 4, 5].map((c) =>
      [0, 2, 4, 5].reduce(
        (s, ci) => s + Array.from({ length: 9 }, (_, k) => Math.abs(w2[c * 72 + k * 8 + ci]!)).reduce((a, b) => a + b, 0),
        0,
      ),
    );
    const removed2 = [0, 1, 2, 3, 4, 5].sort((a, b) => norms[a]! - norms[b]!).slice(0, 3);
    for (const c of removed2) {
      zeroFilter(weightsOf(ref)[1]!, c);
      (biasesOf(ref)[1]!.data as Float32Array)[c] = 0;
    }
    for (const x of inputs(3, 64, 4)) {
      const a = runGraph(p, [x]).outputs[0] as Float32Array;
      const b = runGraph(ref, [x]).outputs[0] as Float32Array;
      a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 5));
    }
  });

  it('skips a conv feeding ADD (or a model output) with a warning and keeps its shape', () => {
    const warnings: string[] = [];
    const p = pruneChannels(residualGraph(), { fraction: 0.5, norm: 'l2' }, (m) => warnings.push(m));
    expect(p).toEqual(residualGraph());
    expect(warnings).toEqual([
      expect.stringMatching(/^a: filters kept; .*'sum' \(ADD\) consumes 'a' and cannot drop input channels/),
      expect.stringMatching(/^b: filters kept; .*'sum' \(ADD\)/),
    ]);
  });

  it('keeps at least one filter and warns on a model without convs', () => {
    const p = pruneChannels(chainGraph(), { fraction: 0.99, norm: 'l2' });
    expect(weightsOf(p).map((t) => t.shape[0])).toEqual([1, 1, 1]);
    const warnings: string[] = [];
    pruneChannels(poolOnlyGraph(), { fraction: 0.5, norm: 'l1' }, (m) => warnings.push(m));
    expect(warnings).toEqual([expect.stringMatching(/no CONV_2D layer/)]);
  });
});

describe('clusterWeights', () => {
  it('finds the obvious centroids of well-separated groups', () => {
    const g = chainGraph();
    const w = weightsOf(g)[2]!.data as Float32Array; // 54 values
    const groups = [-0.3, 0.05, 0.4];
    w.forEach((_, i) => (w[i] = groups[i % 3]! + ((i % 7) - 3) * 0.001));
    for (const init of ['linear', 'density', 'kmeans++'] as const) {
      const c = weightsOf(clusterWeights(g, { clusters: 3, init, seed: 5 }))[2]!;
      const expected = groups.map((_, j) => {
        const members = Array.from(w).filter((_, i) => i % 3 === j);
        return Math.fround(members.reduce((a, b) => a + b, 0) / members.length);
      });
      expect(
        [...new Set(c.data as Float32Array)].sort((a, b) => a - b),
        init,
      ).toEqual(expected.map((v) => expect.closeTo(v, 6)));
    }
  });

  it.each(['linear', 'density', 'kmeans++'] as const)(
    '%s: at most K values per layer, and at most K int8 values per channel after quantisation',
    (init) => {
      for (const k of [2, 4, 16]) {
        const c = clusterWeights(chainGraph(), { clusters: k, init, seed: 3 });
        for (const t of weightsOf(c)) expect(new Set(t.data as Float32Array).size).toBeLessThanOrEqual(k);
        const q = quantize(c);
        for (const t of weightsOf(q)) {
          const per = tensorSize(t.shape.slice(1));
          for (let ch = 0; ch < t.shape[0]!; ch++)
            expect(new Set((t.data as Int8Array).subarray(ch * per, (ch + 1) * per)).size).toBeLessThanOrEqual(k);
        }
      }
    },
  );

  it('is deterministic for a seed and keeps pruned zeros as one of the K values', () => {
    const pruned = pruneMagnitude(chainGraph(), { sparsity: 0.5, scope: 'layer' });
    const a = clusterWeights(pruned, { clusters: 4, init: 'kmeans++', seed: 11 });
    expect(clusterWeights(pruned, { clusters: 4, init: 'kmeans++', seed: 11 })).toEqual(a);
    weightsOf(a).forEach((t, i) => {
      const before = weightsOf(pruned)[i]!.data as Float32Array;
      (t.data as Float32Array).forEach((v, k) => expect(v === 0).toBe(before[k] === 0));
      expect(new Set(t.data as Float32Array).size).toBeLessThanOrEqual(4);
    });
  });
});

describe('int8 after clustering (sharedScaleWeights)', () => {
  const distinctInLayer = (g: Graph) => weightsOf(g).map((t) => new Set(t.data as Int8Array).size);

  it('one scale per clustered layer: the K shared values become at most K int8 codes in the whole layer', () => {
    const clustered = clusterWeights(pruneMagnitude(chainGraph(), { sparsity: 0.5, scope: 'layer' }), {
      clusters: 6,
      init: 'linear',
      seed: 1,
    });
    const calib = inputs(4, 64, 9);
    const flat = new Float32Array(calib.length * 64);
    calib.forEach((x, i) => flat.set(x, i * 64));
    const ranges = calibrate(clustered, flat, 'calib');
    const ids = sharedScaleWeights(clustered, { cluster: 6 });
    expect([...ids].sort()).toEqual(
      weightsOf(clustered)
        .map((t) => t.id)
        .sort(),
    );
    const shared = quantizeInt8(clustered, { ranges, io: 'int8', sharedScaleWeights: ids });
    const perChannel = quantizeInt8(clustered, { ranges, io: 'int8' });
    for (const t of weightsOf(shared)) {
      // Still stored per channel (TFLM's per-channel conv path), all channels equal, max |w| at ±127.
      expect(t.quant!.scale).toHaveLength(t.shape[0]!);
      expect(new Set(t.quant!.scale).size).toBe(1);
      expect(Math.max(...Array.from(t.data as Int8Array, Math.abs))).toBe(127);
    }
    expect(distinctInLayer(shared).every((n) => n <= 6)).toBe(true);
    // Per-channel scales map one centroid to different codes in different channels.
    expect(Math.max(...distinctInLayer(perChannel))).toBeGreaterThan(6);
    // Zeros survive both ways.
    weightsOf(shared).forEach((t, i) =>
      expect((t.data as Int8Array).filter((v) => v === 0).length).toBe(
        (weightsOf(clustered)[i]!.data as Float32Array).filter((v) => v === 0).length,
      ),
    );
    expect(sharedScaleWeights(clustered, { prune: 0.5 }).size).toBe(0);
  });
});

describe('buildPasses', () => {
  it('orders prune-channels → prune (gradual while fine-tuning) → cluster → finetune', () => {
    const names = (o: Parameters<typeof buildPasses>[0]) => buildPasses(o).map((p) => p.name);
    expect(names({ cluster: 8, prune: 0.5, pruneChannels: 0.25, finetune: 2, data: 'd' })).toEqual([
      'prune-channels',
      'prune-magnitude-gradual',
      'cluster-weights',
      'finetune-clusters',
    ]);
    expect(names({ cluster: 8, prune: 0.5, pruneChannels: 0.25 })).toEqual(['prune-channels', 'prune-magnitude', 'cluster-weights']);
    expect(names({ pruneChannels: 0.5, finetune: 2, data: 'd' })).toEqual(['prune-channels', 'finetune-pruned']);
    expect(buildPasses({})).toEqual([]);
  });

  it('gradual pruning of a model without weights warns and leaves it unchanged (never reads --data)', async () => {
    const warnings: string[] = [];
    const g = await runPasses(poolOnlyGraph(), buildPasses({ prune: 0.5, finetune: 2, data: '/nonexistent' }), (m) => warnings.push(m));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/nothing to prune/);
    expect(g.ops.map((o) => o.kind)).toEqual(['MAX_POOL_2D']);
  });

  it('runs the list as IR → IR', async () => {
    const g = await runPasses(chainGraph(), buildPasses({ prune: 0.5, cluster: 4 }), () => {});
    for (const t of weightsOf(g)) expect(new Set(t.data as Float32Array).size).toBeLessThanOrEqual(4);
  });

  it('rejects bad values with one-line BAD_ARGUMENT errors', () => {
    expectBadArgument(() => buildPasses({ prune: 1 }), /^--prune 1: the sparsity must be in \[0, 1\)/);
    expectBadArgument(() => buildPasses({ prune: -0.01 }), /--prune -0.01/);
    expectBadArgument(() => buildPasses({ prune: Number.NaN }), /--prune NaN/);
    expectBadArgument(() => buildPasses({ cluster: 1 }), /^--cluster 1: .*from 2 to 256/);
    expectBadArgument(() => buildPasses({ cluster: 257 }), /^--cluster 257/);
    expectBadArgument(() => buildPasses({ cluster: 3.5 }), /^--cluster 3.5/);
    expectBadArgument(() => buildPasses({ pruneChannels: 1 }), /^--prune-channels 1/);
    expectBadArgument(() => buildPasses({ prune: 0.5, finetune: 3 }), /--finetune needs --data/);
    expectBadArgument(() => buildPasses({ prune: 0.5, finetune: 0, data: 'd' }), /--finetune 0/);
    expectBadArgument(() => buildPasses({ finetune: 2, data: 'd' }), /--finetune retrains after/);
    expectBadArgument(() => buildPasses({ prune: 0.5, finetune: 2, data: 'd', finetuneLearningRate: 0 }), /^--finetune-lr 0: /);
    expectBadArgument(() => buildPasses({ prune: 0.5, finetuneLearningRate: 1e-3 }), /^--finetune-lr 0.001 is only used by --finetune/);
    expectBadArgument(() => buildPasses({ prune: 0.5, data: 'd' }), /--data d is only used by --finetune/);
  });
});
