import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/compiler/1-load/index.js';
import { ramp, writeHandModel } from '../fixtures/hand-written.js';

/**
 * Config shapes TF.js does not write itself but the same Keras JSON parser
 * must read: the tensorflowjs converter's Keras 2 output (model_config
 * wrapper, InputLayer inside a nested Sequential, scoped weight names listed
 * in a different order than the layers) and Keras 3 inbound nodes.
 * Expected values are computed here by hand from the written weights.
 */
let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'tinypdm-keras-'));
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const dense = (name: string, units: number, activation = 'linear', extra: object = {}) => ({
  class_name: 'Dense',
  config: { name, units, activation, use_bias: true, ...extra },
});

describe('Keras 2 converter output', () => {
  it('maps scoped weights by name, not position, through a nested Sequential with an InputLayer', async () => {
    const topology = {
      keras_version: '2.15.0',
      backend: 'tensorflow',
      model_config: {
        class_name: 'Functional',
        config: {
          name: 'outer',
          layers: [
            { name: 'in', class_name: 'InputLayer', config: { batch_input_shape: [null, 3], name: 'in' }, inbound_nodes: [] },
            {
              name: 'sequential_1',
              class_name: 'Sequential',
              config: {
                name: 'sequential_1',
                layers: [
                  { class_name: 'InputLayer', config: { batch_input_shape: [null, 3], name: 'seq_in' } },
                  dense('dense_1', 2, 'relu'),
                  { class_name: 'Dropout', config: { name: 'drop', rate: 0.5 } },
                ],
              },
              inbound_nodes: [[['in', 0, 0, {}]]],
            },
            { ...dense('dense_1_outer', 2), name: 'dense_1_outer', inbound_nodes: [[['sequential_1', 1, 0, {}]]] },
          ],
          input_layers: [['in', 0, 0]],
          output_layers: [['dense_1_outer', 0, 0]],
        },
      },
    };
    // Listed outer-first and biases before kernels: position would give the wrong weights.
    const file = await writeHandModel(path.join(tmp, 'k2'), topology, [
      { name: 'dense_1_outer/bias:0', shape: [2], data: [5, 6] },
      { name: 'dense_1_outer/kernel:0', shape: [2, 2], data: [1, 2, 3, 4] },
      { name: 'sequential_1/dense_1/bias', shape: [2], data: [0.5, -0.5] },
      { name: 'sequential_1/dense_1/kernel', shape: [3, 2], data: ramp(6) },
    ]);
    const m = await loadModel(path.dirname(file));
    expect(m.kerasVersion).toBe('2.15.0');
    expect(m.layerCount).toBe(3);
    expect(m.inputShape).toEqual([3]);
    const g = m.graph;
    expect(g.ops.map((o) => [o.kind, o.name, 'activation' in o.options ? o.options.activation : ''])).toEqual([
      ['FULLY_CONNECTED', 'dense_1', 'RELU'],
      ['FULLY_CONNECTED', 'dense_1_outer', 'NONE'],
    ]);
    // kernel [in=3, out=2] = [[.01,.02],[.03,.04],[.05,.06]] → [out, in].
    expect(Array.from(g.tensors[g.ops[0]!.inputs[1]!]!.data as Float32Array)).toEqual(
      Array.from(Float32Array.from([0.01, 0.03, 0.05, 0.02, 0.04, 0.06])),
    );
    expect(Array.from(g.tensors[g.ops[0]!.inputs[2]!]!.data as Float32Array)).toEqual([0.5, -0.5]);
    expect(Array.from(g.tensors[g.ops[1]!.inputs[1]!]!.data as Float32Array)).toEqual([1, 3, 2, 4]);
    expect(Array.from(g.tensors[g.ops[1]!.inputs[2]!]!.data as Float32Array)).toEqual([5, 6]);
    expect(g.ops[1]!.inputs[0]).toBe(g.ops[0]!.outputs[0]);
  });

  it('reads a bare-list Sequential config with Reshape(-1) and BatchNorm(center=false, scale=false)', async () => {
    const topology = {
      class_name: 'Sequential',
      config: [
        {
          class_name: 'Conv2D',
          config: {
            name: 'c',
            filters: 2,
            kernel_size: [1, 1],
            padding: 'valid',
            activation: 'linear',
            use_bias: false,
            batch_input_shape: [null, 2, 2, 1],
          },
        },
        { class_name: 'BatchNormalization', config: { name: 'bn', axis: 3, epsilon: 0.5, center: false, scale: false } },
        { class_name: 'Reshape', config: { name: 'r', target_shape: [-1, 2] } },
      ],
    };
    const file = await writeHandModel(path.join(tmp, 'bare'), topology, [
      { name: 'c/kernel', shape: [1, 1, 1, 2], data: [2, -3] },
      { name: 'bn/moving_mean', shape: [2], data: [1, 2] },
      { name: 'bn/moving_variance', shape: [2], data: [3.5, 3.5] },
    ]);
    const g = (await loadModel(file)).graph;
    expect(g.ops.map((o) => o.kind)).toEqual(['CONV_2D', 'RESHAPE']);
    // scale = 1/sqrt(var + eps) = [0.5, 0.5]; shift = -mean * scale = [-0.5, -1].
    const conv = g.ops[0]!;
    expect(Array.from(g.tensors[conv.inputs[1]!]!.data as Float32Array)).toEqual([1, -1.5]);
    expect(Array.from(g.tensors[conv.inputs[2]!]!.data as Float32Array)).toEqual([-0.5, -1]);
    expect(g.tensors[g.outputs[0]!]!.shape).toEqual([1, 4, 2]);
    expect(Array.from(g.tensors[g.ops[1]!.inputs[1]!]!.data as Int32Array)).toEqual([1, 4, 2]);
  });
});

describe('Keras 3 inbound nodes', () => {
  it('follows keras_history inside args, including a list of tensors for Concatenate', async () => {
    const kt = (layer: string) => ({
      class_name: '__keras_tensor__',
      config: { shape: [null, 4, 4, 1], dtype: 'float32', keras_history: [layer, 0, 0] },
    });
    const topology = {
      class_name: 'Functional',
      config: {
        name: 'k3',
        layers: [
          { name: 'x', class_name: 'InputLayer', config: { batch_shape: [null, 4, 4, 1], name: 'x' }, inbound_nodes: [] },
          // Listed before the layer it consumes: order comes from the connections.
          {
            name: 'cat',
            class_name: 'Concatenate',
            config: { name: 'cat', axis: -1 },
            inbound_nodes: [{ args: [[kt('up'), kt('x')]], kwargs: {} }],
          },
          {
            name: 'pool',
            class_name: 'MaxPooling2D',
            config: { name: 'pool', pool_size: [2, 2], padding: 'valid', strides: [2, 2] },
            inbound_nodes: [{ args: [kt('x')], kwargs: {} }],
          },
          {
            name: 'up',
            class_name: 'UpSampling2D',
            config: { name: 'up', size: [2, 2], interpolation: 'nearest' },
            inbound_nodes: [{ args: [kt('pool')], kwargs: {} }],
          },
        ],
        input_layers: ['x', 0, 0],
        output_layers: ['cat', 0, 0],
      },
    };
    const g = (await loadModel(await writeHandModel(path.join(tmp, 'k3'), topology, []))).graph;
    expect(g.ops.map((o) => o.kind)).toEqual(['MAX_POOL_2D', 'RESIZE_NEAREST_NEIGHBOR', 'CONCATENATION']);
    expect(g.ops[2]!.options).toEqual({ axis: 3, activation: 'NONE' });
    expect(g.ops[2]!.inputs).toEqual([g.ops[1]!.outputs[0], g.inputs[0]]);
    expect(g.tensors[g.outputs[0]!]!.shape).toEqual([1, 4, 4, 2]);
  });
});
