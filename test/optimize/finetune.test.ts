import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  clusterWeights,
  fineTuneSchedule,
  finetune,
  pruneMagnitude,
  sparsityAt,
  updatesMaskAt,
  weightTensors,
} from '../../src/compiler/2-optimize/index.js';
import { toLayersModel } from '../../src/compiler/2-optimize/finetune.js';
import { runGraph } from '../../src/runtime/index.js';
import { initBackend } from '../../src/learn/backend.js';
import { chainGraph, depthwiseReluGraph, inputs } from './graphs.js';
import { calibrate, quantizeInt8 } from '../../src/compiler/index.js';
import type { Graph } from '../../src/ir/index.js';

const flat = (xs: Float32Array[]) => {
  const out = new Float32Array(xs.length * xs[0]!.length);
  xs.forEach((x, i) => out.set(x, i * x.length));
  return out;
};
const data = (seed: number) => ({
  train: flat(inputs(24, 64, seed)),
  val: flat(inputs(8, 64, seed + 1)),
  shape: [8, 8, 1] as [number, number, number],
});
const zerosOf = (g: Graph) => weightTensors(g).map(({ tensor }) => (tensor.data as Float32Array).filter((v) => v === 0).length);

describe('PolynomialDecay sparsity schedule', () => {
  const s = { initialSparsity: 0.1, finalSparsity: 0.5, beginStep: 2, endStep: 10, power: 3, frequency: 3 };

  it('follows final + (initial − final)(1 − progress)^3 and clamps outside [begin, end]', () => {
    expect(sparsityAt(s, 0)).toBe(0.1);
    expect(sparsityAt(s, 2)).toBe(0.1);
    // step 6: progress 4/8 = 0.5 → 0.5 − 0.4 · 0.125 = 0.45
    expect(sparsityAt(s, 6)).toBeCloseTo(0.45, 12);
    // step 4: progress 0.25 → 0.5 − 0.4 · 0.421875 = 0.33125
    expect(sparsityAt(s, 4)).toBeCloseTo(0.33125, 12);
    expect(sparsityAt(s, 10)).toBe(0.5);
    expect(sparsityAt(s, 99)).toBe(0.5);
  });

  it('recomputes the mask every `frequency` steps after begin, always at end, never after', () => {
    const steps = Array.from({ length: 14 }, (_, t) => t).filter((t) => updatesMaskAt(s, t));
    expect(steps).toEqual([5, 8, 10]);
  });

  it('fine-tuning ramps over the first half of the epochs (rounded up), from 0 to S, power 3', () => {
    expect(fineTuneSchedule(0.5, 5, 4)).toMatchObject({
      initialSparsity: 0,
      finalSparsity: 0.5,
      beginStep: 0,
      endStep: 12,
      power: 3,
      frequency: 1,
      rampEpochs: 3,
    });
    expect(fineTuneSchedule(0.8, 1, 40)).toMatchObject({ endStep: 40, frequency: 4, rampEpochs: 1 });
  });
});

describe('fine-tuning', () => {
  it('rebuilds DEPTHWISE_CONV_2D, RELU6 and RELU: the TF.js model computes what the reference interpreter does', async () => {
    await initBackend();
    const g = depthwiseReluGraph();
    const { model } = toLayersModel(g);
    try {
      for (const x of inputs(3, 64, 5)) {
        const ours = runGraph(g, [x]).outputs[0] as Float32Array;
        const theirs = tf.tidy(() => (model.predict(tf.tensor4d(x, [1, 8, 8, 1])) as tf.Tensor).dataSync());
        ours.forEach((v, i) => expect(theirs[i]!).toBeCloseTo(v, 4));
      }
      // RELU6 really clips somewhere, so a plain RELU in its place would fail the comparison above.
      const dw = runGraph(g, [inputs(1, 64, 5)[0]!], { captureAll: true }).tensors!.get(g.ops[0]!.outputs[0]!) as Float32Array;
      expect(Math.max(...dw)).toBeGreaterThan(6);
    } finally {
      model.dispose();
    }
  });

  it('gradual pruning ends at exactly floor(S·n) zeros per layer, and they stay zero through int8', async () => {
    const g = chainGraph();
    const tuned = await finetune(g, data(30), {
      epochs: 3,
      holdClusters: false,
      seed: 1,
      learningRate: 0.05,
      prune: { sparsity: 0.6, scope: 'layer' },
    });
    const n = weightTensors(g).map(({ tensor }) => tensor.data!.length);
    expect(zerosOf(g).every((z) => z === 0)).toBe(true);
    expect(zerosOf(tuned)).toEqual(n.map((k) => Math.floor(0.6 * k)));
    // The mask was recomputed from trained magnitudes: it is not the one-shot mask of the starting weights.
    const mask = (x: Graph) => weightTensors(x).flatMap(({ tensor }) => Array.from(tensor.data as Float32Array, (v) => v === 0));
    expect(mask(tuned)).not.toEqual(mask(pruneMagnitude(g, { sparsity: 0.6, scope: 'layer' })));
    const q = quantizeInt8(tuned, { ranges: calibrate(tuned, data(30).val, 'val'), io: 'int8' });
    q.ops
      .filter((o) => o.kind === 'CONV_2D')
      .forEach((o, i) => {
        const w = q.tensors[o.inputs[1]!]!.data as Int8Array;
        expect(w.filter((v) => v === 0).length).toBeGreaterThanOrEqual(Math.floor(0.6 * n[i]!));
      });
  }, 120_000);

  it('global gradual pruning reaches floor(S·n) zeros over all layers together', async () => {
    const tuned = await finetune(chainGraph(), data(40), {
      epochs: 2,
      holdClusters: false,
      seed: 2,
      prune: { sparsity: 0.5, scope: 'global' },
    });
    const total = weightTensors(tuned).reduce((a, { tensor }) => a + tensor.data!.length, 0);
    expect(zerosOf(tuned).reduce((a, b) => a + b, 0)).toBe(Math.floor(0.5 * total));
  }, 120_000);

  it('clustered fine-tuning of the depthwise/ReLU graph keeps <= K values per layer and moves them', async () => {
    const clustered = clusterWeights(depthwiseReluGraph(), { clusters: 4, init: 'linear', seed: 1 });
    const tuned = await finetune(clustered, data(50), { epochs: 2, holdClusters: true, seed: 1, learningRate: 1e-2 });
    weightTensors(tuned).forEach(({ tensor }, i) => {
      expect(new Set(tensor.data as Float32Array).size, tensor.name).toBeLessThanOrEqual(4);
      expect(Array.from(tensor.data as Float32Array), tensor.name).not.toEqual(
        Array.from(weightTensors(clustered)[i]!.tensor.data as Float32Array),
      );
    });
  }, 120_000);
});

describe('fitAutoencoder bestFromEpoch (fine-tuning with a moving mask)', () => {
  it('never restores weights from epochs before bestFromEpoch', async () => {
    await initBackend();
    const { fitAutoencoder } = await import('../../src/learn/fit.js');
    const run = async (bestFromEpoch?: number) => {
      const { model } = toLayersModel(chainGraph());
      try {
        // A step far too large: the validation loss is best early and then gets worse.
        const r = await fitAutoencoder(model, data(60), {
          epochs: 4,
          batchSize: 8,
          learningRate: 0.3,
          patience: Number.POSITIVE_INFINITY,
          seed: 1,
          ...(bestFromEpoch !== undefined ? { bestFromEpoch } : {}),
        });
        return r;
      } finally {
        model.dispose();
      }
    };
    const free = await run();
    expect(free.bestEpoch).toBeLessThan(3);
    const late = await run(3);
    expect(late.bestEpoch).toBe(3);
    expect(late.history.valLoss[3]).toBeGreaterThan(Math.min(...late.history.valLoss.slice(0, 3)));
  }, 120_000);
});
