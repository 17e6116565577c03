import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/learn/backend.js';

function seeded(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - 0.5;
  }
  return out;
}

describe('wasm Conv2DBackpropFilter', () => {
  const cases: Array<{
    name: string;
    x: [number, number, number, number];
    k: number;
    stride: number;
    dilation: number;
    pad: 'same' | 'valid';
  }> = [
    { name: 'same stride 1', x: [2, 9, 7, 3], k: 3, stride: 1, dilation: 1, pad: 'same' },
    { name: 'valid stride 1', x: [1, 8, 8, 2], k: 3, stride: 1, dilation: 1, pad: 'valid' },
    { name: 'same stride 2', x: [2, 9, 8, 3], k: 3, stride: 2, dilation: 1, pad: 'same' },
    { name: 'valid stride 2', x: [1, 10, 9, 2], k: 2, stride: 2, dilation: 1, pad: 'valid' },
  ];

  it.each(cases)('matches the cpu backend: $name', async (c) => {
    const info = await initBackend();
    expect(info.name).toBe('wasm');
    const cout = 4;
    const xs = seeded(c.x[0] * c.x[1] * c.x[2] * c.x[3], 1);
    const ws = seeded(c.k * c.k * c.x[3] * cout, 2);
    const grad = () => {
      const x = tf.tensor4d(xs, c.x);
      const w = tf.tensor4d(ws, [c.k, c.k, c.x[3], cout]);
      const g = tf.grad((wv: tf.Tensor) =>
        tf
          .conv2d(x, wv as tf.Tensor4D, c.stride, c.pad, 'NHWC', c.dilation)
          .square()
          .sum(),
      )(w);
      return g.dataSync().slice();
    };
    const wasm = grad();
    await tf.setBackend('cpu');
    const cpu = grad();
    await tf.setBackend('wasm');
    let maxRel = 0;
    const scale = Math.max(...cpu.map(Math.abs));
    for (let i = 0; i < cpu.length; i++) maxRel = Math.max(maxRel, Math.abs(wasm[i]! - cpu[i]!) / scale);
    expect(wasm.length).toBe(cpu.length);
    expect(maxRel).toBeLessThan(1e-5);
  });
});

describe('wasm Conv2DBackpropInput (forward-conv composition for stride 1)', () => {
  const cases: Array<{ name: string; x: [number, number, number, number]; k: number; stride: number; pad: 'same' | 'valid' }> = [
    { name: 'same 3x3', x: [2, 9, 7, 3], k: 3, stride: 1, pad: 'same' },
    { name: 'same 2x2 (even kernel)', x: [1, 6, 5, 2], k: 2, stride: 1, pad: 'same' },
    { name: 'valid 3x3', x: [1, 8, 8, 2], k: 3, stride: 1, pad: 'valid' },
    { name: 'same stride 2 (stock kernel)', x: [2, 9, 8, 3], k: 3, stride: 2, pad: 'same' },
  ];

  it.each(cases)('matches the cpu backend: $name', async (c) => {
    await initBackend();
    const cout = 4;
    const xs = seeded(c.x[0] * c.x[1] * c.x[2] * c.x[3], 3);
    const ws = seeded(c.k * c.k * c.x[3] * cout, 4);
    const grad = () => {
      const x = tf.tensor4d(xs, c.x);
      const w = tf.tensor4d(ws, [c.k, c.k, c.x[3], cout]);
      const g = tf.grad((xv: tf.Tensor) =>
        tf
          .conv2d(xv as tf.Tensor4D, w, c.stride, c.pad)
          .square()
          .sum(),
      )(x);
      return g.dataSync().slice();
    };
    const wasm = grad();
    await tf.setBackend('cpu');
    const cpu = grad();
    await tf.setBackend('wasm');
    const scale = Math.max(...cpu.map(Math.abs));
    let maxRel = 0;
    for (let i = 0; i < cpu.length; i++) maxRel = Math.max(maxRel, Math.abs(wasm[i]! - cpu[i]!) / scale);
    expect(wasm.length).toBe(cpu.length);
    expect(maxRel).toBeLessThan(1e-5);
  });

  it('replaces the stock kernel for stride 1', async () => {
    await initBackend();
    expect((tf.getKernel('Conv2DBackpropInput', 'wasm') as { tinypdm?: boolean }).tinypdm).toBe(true);
  });
});
