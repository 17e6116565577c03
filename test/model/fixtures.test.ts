import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel, type LoadedModel } from '../../src/compiler/1-load/index.js';
import { buildFixture, FIXTURES, representativeInputs, type BuiltFixture } from '../fixtures/models.js';
import { evalGraphWithTfjs } from './ir-eval.js';
import { saveLayersModel } from '../../src/learn/index.js';
import type { Graph, Op } from '../../src/ir/index.js';

/**
 * Every fixture is built (briefly fitted, saved) once, loaded through
 * loadModel, and checked three ways: the op sequence and tensor shapes
 * against hand-derived expectations, weight layouts against the TF.js
 * layer weights by index arithmetic, and float semantics against model.predict.
 */
let tmp: string;
const built = new Map<string, BuiltFixture>();
const loaded = new Map<string, LoadedModel>();

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'tinypdm-model-'));
  for (const f of FIXTURES) {
    const b = await buildFixture(f, tmp);
    built.set(f.name, b);
    loaded.set(f.name, await loadModel(b.dir));
  }
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const sig = (op: Op) => op.kind + ('activation' in op.options && op.options.activation !== 'NONE' ? `+${op.options.activation}` : '');
const outShape = (g: Graph, op: Op) => g.tensors[op.outputs[0]!]!.shape;

/** Hand-derived from each fixture's definition in test/fixtures/models.ts. */
const EXPECTED: Record<string, Array<[string, number[]]>> = {
  paper: [
    ['CONV_2D+RELU', [1, 64, 48, 32]],
    ['MAX_POOL_2D', [1, 32, 24, 32]],
    ['CONV_2D+RELU', [1, 32, 24, 64]],
    ['MAX_POOL_2D', [1, 16, 12, 64]],
    ['CONV_2D+RELU', [1, 16, 12, 32]],
    ['RESIZE_NEAREST_NEIGHBOR', [1, 32, 24, 32]],
    ['CONV_2D+RELU', [1, 32, 24, 16]],
    ['RESIZE_NEAREST_NEIGHBOR', [1, 64, 48, 16]],
    ['CONV_2D+RELU', [1, 64, 48, 1]],
  ],
  mixed: [
    ['CONV_2D+RELU', [1, 16, 12, 4]],
    ['DEPTHWISE_CONV_2D+RELU6', [1, 14, 10, 8]],
    ['AVERAGE_POOL_2D', [1, 7, 5, 8]],
    ['RESHAPE', [1, 280]],
    ['FULLY_CONNECTED+RELU', [1, 16]],
    ['FULLY_CONNECTED', [1, 4]],
    ['SOFTMAX', [1, 4]],
  ],
  // A Conv2DTranspose's relu is a RELU op: TRANSPOSE_CONV with a fused activation is version 4, unknown to TFLM (Arduino) and tfjs-tflite.
  'conv-transpose': [
    ['TRANSPOSE_CONV', [1, 10, 8, 4]],
    ['RELU', [1, 10, 8, 4]],
    ['TRANSPOSE_CONV', [1, 21, 9, 2]],
  ],
  'zero-padding': [
    ['PAD', [1, 10, 7, 2]],
    ['CONV_2D', [1, 10, 7, 2]],
    ['CONV_2D+RELU', [1, 8, 5, 3]],
    ['MAX_POOL_2D', [1, 4, 3, 3]],
    ['CONV_2D', [1, 2, 2, 2]],
  ],
  add: [
    ['CONV_2D', [1, 8, 8, 4]],
    ['CONV_2D', [1, 8, 8, 4]],
    ['CONV_2D', [1, 8, 8, 4]],
    ['ADD', [1, 8, 8, 4]],
    ['ADD+RELU', [1, 8, 8, 4]],
    ['CONV_2D', [1, 8, 8, 1]],
  ],
  concatenate: [
    ['CONV_2D+RELU', [1, 8, 6, 3]],
    ['CONCATENATION', [1, 8, 6, 5]],
    ['CONV_2D', [1, 8, 6, 2]],
  ],
  'global-average': [
    ['CONV_2D+RELU', [1, 6, 6, 5]],
    ['MEAN', [1, 5]],
    ['FULLY_CONNECTED', [1, 3]],
    ['SOFTMAX', [1, 3]],
  ],
  'flatten-reshape': [
    ['RESHAPE', [1, 48]],
    ['FULLY_CONNECTED+RELU', [1, 24]],
    ['RESHAPE', [1, 3, 4, 2]],
    ['FULLY_CONNECTED', [1, 3, 4, 3]],
    ['CONV_2D', [1, 3, 4, 1]],
  ],
  sigmoid: [
    ['CONV_2D', [1, 8, 8, 2]],
    ['LOGISTIC', [1, 8, 8, 2]],
    ['CONV_2D', [1, 8, 8, 1]],
    ['LOGISTIC', [1, 8, 8, 1]],
  ],
  // TFLite has no fused leaky activation: each LeakyReLU is a LEAKY_RELU op after its conv.
  'leaky-relu': [
    ['CONV_2D', [1, 8, 8, 4]],
    ['LEAKY_RELU', [1, 8, 8, 4]],
    ['MAX_POOL_2D', [1, 4, 4, 4]],
    ['CONV_2D', [1, 4, 4, 3]],
    ['LEAKY_RELU', [1, 4, 4, 3]],
    ['CONV_2D', [1, 4, 4, 1]],
  ],
};

function maxRelError(ref: ArrayLike<number>, got: ArrayLike<number>): number {
  expect(got.length).toBe(ref.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < ref.length; i++) {
    diff = Math.max(diff, Math.abs(ref[i]! - got[i]!));
    scale = Math.max(scale, Math.abs(ref[i]!));
  }
  return diff / scale;
}

function predict(b: BuiltFixture, x: Float32Array): Float32Array {
  return tf.tidy(() => (b.model.predict(tf.tensor(x, [1, ...b.fixture.inputShape])) as tf.Tensor).dataSync() as Float32Array);
}

/** A layer by name, looking inside nested models (the paper's encoder and decoder). */
function findLayer(layers: tf.layers.Layer[], name: string): tf.layers.Layer | undefined {
  for (const l of layers) {
    if (l.name === name) return l;
    const inner = (l as unknown as { layers?: tf.layers.Layer[] }).layers;
    const found = inner ? findLayer(inner, name) : undefined;
    if (found) return found;
  }
  return undefined;
}

function layerWeights(b: BuiltFixture, layer: string): Record<string, { shape: number[]; data: Float32Array }> {
  const l = findLayer(b.model.layers, layer);
  if (!l) throw new Error(`no layer ${layer}`);
  const values = l.getWeights();
  return Object.fromEntries(
    l.weights.map((w, i) => [w.originalName.split('/').pop()!, { shape: values[i]!.shape, data: values[i]!.dataSync() as Float32Array }]),
  );
}

function opNamed(g: Graph, name: string): Op {
  const op = g.ops.find((o) => o.name === name);
  if (!op) throw new Error(`no op ${name}`);
  return op;
}

const constOf = (g: Graph, id: number) => g.tensors[id]!;

describe.each(FIXTURES.map((f) => f.name))('fixture %s', (name) => {
  it('lowers to the expected ops and shapes', () => {
    const { graph } = loaded.get(name)!;
    expect(graph.ops.map((op) => [sig(op), outShape(graph, op)])).toEqual(EXPECTED[name]);
    expect(graph.inputs.map((id) => graph.tensors[id]!.shape)).toEqual([[1, ...built.get(name)!.fixture.inputShape]]);
    // Every non-constant tensor except the input is produced by exactly one op.
    const produced = graph.ops.flatMap((op) => op.outputs);
    expect(new Set(produced).size).toBe(produced.length);
    for (const t of graph.tensors) expect(t.data !== undefined || produced.includes(t.id) || graph.inputs.includes(t.id)).toBe(true);
  });

  it('computes what model.predict computes (rel. error < 1e-4)', () => {
    const b = built.get(name)!;
    const { graph } = loaded.get(name)!;
    for (const x of representativeInputs(b.fixture.inputShape, 2, 123)) {
      expect(maxRelError(predict(b, x), evalGraphWithTfjs(graph, [x])[0]!)).toBeLessThan(1e-4);
    }
  });
});

// The float reference interpreter (src/runtime) is being written alongside; once it
// exports runGraph, the IR must also run there to the same answers.
const runtimeIndex = path.resolve(import.meta.dirname, '../../src/runtime/index.ts');
describe.runIf(existsSync(runtimeIndex))('src/runtime runGraph on the lowered IR', () => {
  it.each(FIXTURES.map((f) => f.name))('%s matches model.predict (rel. error < 1e-4)', async (name) => {
    const runtime = (await import(runtimeIndex)) as { runGraph?: (g: Graph, inputs: Float32Array[]) => { outputs: ArrayLike<number>[] } };
    if (typeof runtime.runGraph !== 'function') return expect.fail('src/runtime/index.ts exists but exports no runGraph');
    const b = built.get(name)!;
    const x = representativeInputs(b.fixture.inputShape, 1, 321)[0]!;
    const { outputs } = runtime.runGraph(loaded.get(name)!.graph, [x]);
    expect(maxRelError(predict(b, x), outputs[0]!)).toBeLessThan(1e-4);
  });
});

describe('weight layouts and folding, against the TF.js weights', () => {
  it('paper: HWIO kernels become OHWI; nested encoder/decoder weights map by name; metadata', () => {
    const m = loaded.get('paper')!;
    expect(m.layerCount).toBe(9);
    expect(m.inputShape).toEqual([64, 48, 1]);
    expect(m.kerasVersion).toMatch(/^tfjs-layers /);
    const b = built.get('paper')!;
    for (const layer of ['encoder_conv1', 'encoder_conv2', 'decoder_conv1', 'decoder_conv2', 'decoder_conv3']) {
      const { kernel, bias } = layerWeights(b, layer);
      const [kh, kw, ci, co] = kernel!.shape as [number, number, number, number];
      const op = opNamed(m.graph, layer);
      const filter = constOf(m.graph, op.inputs[1]!);
      expect(filter.shape).toEqual([co, kh, kw, ci]);
      const f = filter.data as Float32Array;
      for (let o = 0; o < co; o++)
        for (let y = 0; y < kh; y++)
          for (let x = 0; x < kw; x++)
            for (let i = 0; i < ci; i++) {
              expect(f[((o * kh + y) * kw + x) * ci + i]).toBe(kernel!.data[((y * kw + x) * ci + i) * co + o]);
            }
      expect(Array.from(constOf(m.graph, op.inputs[2]!).data as Float32Array)).toEqual(Array.from(bias!.data));
    }
    const up = opNamed(m.graph, 'decoder_up1');
    expect(up.options).toEqual({ alignCorners: false, halfPixelCenters: true });
    const size = constOf(m.graph, up.inputs[1]!);
    expect([size.dtype, Array.from(size.data as Int32Array)]).toEqual(['int32', [32, 24]]);
  });

  it('mixed: BatchNorm folds into conv, depthwise (center=false) and dense (scale=false); dense is [out, in]', () => {
    const m = loaded.get('mixed')!;
    const b = built.get('mixed')!;
    const eps = 1e-3;
    const fold = (bn: string, channels: number) => {
      const w = layerWeights(b, bn);
      const scale = Array.from(
        { length: channels },
        (_, c) => (w['gamma'] ? w['gamma'].data[c]! : 1) / Math.sqrt(w['moving_variance']!.data[c]! + eps),
      );
      const shift = scale.map((s, c) => (w['beta'] ? w['beta'].data[c]! : 0) - w['moving_mean']!.data[c]! * s);
      return { scale, shift, w };
    };
    // The fitted statistics must be non-trivial, or this test could not tell folding from skipping it.
    const convBn = fold('conv_bn', 4);
    expect(Math.max(...Array.from(convBn.w['moving_mean']!.data).map(Math.abs))).toBeGreaterThan(1e-3);
    expect(Math.max(...Array.from(convBn.w['moving_variance']!.data).map((v) => Math.abs(v - 1)))).toBeGreaterThan(1e-3);
    expect(fold('dw_bn', 8).w['beta']).toBeUndefined();
    expect(fold('fc1_bn', 16).w['gamma']).toBeUndefined();

    const close = (a: number, e: number) => expect(Math.abs(a - e)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(e)));
    // Conv2D + BN.
    {
      const { kernel, bias } = layerWeights(b, 'conv');
      const op = opNamed(m.graph, 'conv');
      const f = constOf(m.graph, op.inputs[1]!).data as Float32Array;
      const fb = constOf(m.graph, op.inputs[2]!).data as Float32Array;
      for (let o = 0; o < 4; o++) {
        for (let y = 0; y < 3; y++)
          for (let x = 0; x < 3; x++)
            for (let i = 0; i < 2; i++) {
              close(f[((o * 3 + y) * 3 + x) * 2 + i]!, kernel!.data[((y * 3 + x) * 2 + i) * 4 + o]! * convBn.scale[o]!);
            }
        close(fb[o]!, bias!.data[o]! * convBn.scale[o]! + convBn.shift[o]!);
      }
    }
    // DepthwiseConv2D (no bias of its own) + BN(center=false): [kh,kw,cin,mult] → [1,kh,kw,cin*mult], new bias.
    {
      const { depthwise_kernel: k } = layerWeights(b, 'dw');
      const bn = fold('dw_bn', 8);
      const op = opNamed(m.graph, 'dw');
      expect(op.kind === 'DEPTHWISE_CONV_2D' && op.options.depthMultiplier).toBe(2);
      const filter = constOf(m.graph, op.inputs[1]!);
      expect(filter.shape).toEqual([1, 3, 3, 8]);
      for (let y = 0; y < 3; y++)
        for (let x = 0; x < 3; x++)
          for (let c = 0; c < 4; c++)
            for (let j = 0; j < 2; j++) {
              close(
                (filter.data as Float32Array)[(y * 3 + x) * 8 + c * 2 + j]!,
                k!.data[((y * 3 + x) * 4 + c) * 2 + j]! * bn.scale[c * 2 + j]!,
              );
            }
      expect(op.inputs[2]).toBeGreaterThanOrEqual(0);
      const fb = constOf(m.graph, op.inputs[2]!).data as Float32Array;
      for (let c = 0; c < 8; c++) close(fb[c]!, bn.shift[c]!);
    }
    // Dense + BN(scale=false): [in, out] → [out, in].
    {
      const { kernel, bias } = layerWeights(b, 'fc1');
      const bn = fold('fc1_bn', 16);
      const op = opNamed(m.graph, 'fc1');
      const w = constOf(m.graph, op.inputs[1]!);
      expect(w.shape).toEqual([16, 280]);
      for (let o = 0; o < 16; o++) {
        for (let i = 0; i < 280; i += 7) close((w.data as Float32Array)[o * 280 + i]!, kernel!.data[i * 16 + o]! * bn.scale[o]!);
        close((constOf(m.graph, op.inputs[2]!).data as Float32Array)[o]!, bias!.data[o]! * bn.scale[o]! + bn.shift[o]!);
      }
    }
  });

  it('conv-transpose: [kh,kw,out,in] → [out,kh,kw,in], output_shape constant, TFLite input order', () => {
    const m = loaded.get('conv-transpose')!;
    const { kernel } = layerWeights(built.get('conv-transpose')!, 'up_valid');
    const op = opNamed(m.graph, 'up_valid');
    const [shapeId, filterId, inputId] = op.inputs;
    expect(Array.from(constOf(m.graph, shapeId!).data as Int32Array)).toEqual([1, 21, 9, 2]);
    expect(m.graph.tensors[inputId!]!.data).toBeUndefined();
    const f = constOf(m.graph, filterId!);
    expect(f.shape).toEqual([2, 3, 2, 4]);
    for (let o = 0; o < 2; o++)
      for (let y = 0; y < 3; y++)
        for (let x = 0; x < 2; x++)
          for (let i = 0; i < 4; i++) {
            expect((f.data as Float32Array)[((o * 3 + y) * 2 + x) * 4 + i]).toBe(kernel!.data[((y * 2 + x) * 2 + o) * 4 + i]);
          }
  });

  it('zero-padding, concatenate, global-average: constants and options', () => {
    const zp = loaded.get('zero-padding')!.graph;
    const pad = opNamed(zp, 'pad');
    expect(constOf(zp, pad.inputs[1]!).shape).toEqual([4, 2]);
    expect(Array.from(constOf(zp, pad.inputs[1]!).data as Int32Array)).toEqual([0, 0, 1, 2, 0, 1, 0, 0]);
    // use_bias=false still gets an all-zero bias: full TFLite's CONV_2D requires one.
    const zeroBias = constOf(zp, opNamed(zp, 'conv_strided').inputs[2]!);
    expect(Array.from(zeroBias.data as Float32Array).every((v) => v === 0)).toBe(true);
    expect(opNamed(zp, 'conv_dilated').options).toMatchObject({ dilationH: 2, dilationW: 2, padding: 'SAME' });
    expect(opNamed(zp, 'pool_same').options).toMatchObject({ filterH: 3, strideH: 2, padding: 'SAME' });
    const cc = loaded.get('concatenate')!.graph;
    expect(opNamed(cc, 'joined').options).toEqual({ axis: 3, activation: 'NONE' });
    expect(opNamed(cc, 'joined').inputs).toEqual([opNamed(cc, 'feat').outputs[0], cc.inputs[0]]);
    const gap = loaded.get('global-average')!.graph;
    const mean = opNamed(gap, 'gap');
    expect(Array.from(constOf(gap, mean.inputs[1]!).data as Int32Array)).toEqual([1, 2]);
    expect(mean.options).toEqual({ keepDims: false });
  });

  it('names tensors after their layers', () => {
    const g = loaded.get('mixed')!.graph;
    expect(g.tensors[g.outputs[0]!]!.name).toBe('probs');
    expect(g.tensors[opNamed(g, 'conv').inputs[1]!]!.name).toBe('conv/kernel');
  });
});

describe('determinism', () => {
  it('saving a model twice gives byte-identical files, and loading gives identical graphs', async () => {
    const b = built.get('add')!;
    const again = path.join(tmp, 'add-again');
    await saveLayersModel(b.model, again);
    for (const file of ['model.json', 'group1-shard1of1.bin']) {
      expect(Buffer.compare(await readFile(path.join(b.dir, file)), await readFile(path.join(again, file)))).toBe(0);
    }
    expect(await loadModel(again)).toEqual(loaded.get('add'));
  });

  it('building a fixture twice with the same seed gives byte-identical files', async () => {
    const f = FIXTURES.find((x) => x.name === 'concatenate')!;
    const second = await buildFixture(f, path.join(tmp, 'rebuilt'));
    for (const file of ['model.json', 'group1-shard1of1.bin']) {
      expect(
        Buffer.compare(await readFile(path.join(built.get('concatenate')!.dir, file)), await readFile(path.join(second.dir, file))),
      ).toBe(0);
    }
  });
});
