import { afterAll, describe, expect, it } from 'vitest';
import { TinyPdmError } from '../../src/util/errors.js';
import { GraphBuilder } from '../../src/ir/builder.js';
import type { Graph } from '../../src/ir/graph.js';
import { createTfliteRunner, type TfliteRunner } from '../../src/tflite/index.js';
import { allOpsGraph, randomFloats, randomInt8 } from './fixtures.js';
import { writeTflite } from '../../src/compiler/index.js';

/**
 * The real TensorFlow Lite runtime loads and runs what we write. Expected
 * values come from plain loops written here, not from tinypdm code.
 */
const runners: TfliteRunner[] = [];
afterAll(() => runners.forEach((r) => r.dispose()));

async function run(graph: Graph, inputs: ArrayLike<number>[]): Promise<Float32Array[]> {
  const runner = await createTfliteRunner(writeTflite(graph, { description: 'test' }));
  runners.push(runner);
  return runner.run(inputs) as Float32Array[];
}

/** NHWC index. */
const at = (shape: number[], n: number, h: number, w: number, c: number) => ((n * shape[1]! + h) * shape[2]! + w) * shape[3]! + c;

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (Math.abs(actual[i]! - expected[i]!) > tol) expect.fail(`element ${i}: ${actual[i]} vs expected ${expected[i]}`);
  }
}

describe('createTfliteRunner', () => {
  it('reports inputs and outputs and runs ADD', async () => {
    const b = new GraphBuilder('add');
    const x = b.addTensor('x', [1, 2, 3, 4], 'float32');
    const y = b.addTensor('y', [1, 2, 3, 4], 'float32');
    const z = b.addTensor('z', [1, 2, 3, 4], 'float32');
    b.addOp('ADD', 'add', [x, y], [z], { activation: 'NONE' });
    b.inputs = [x, y];
    b.outputs = [z];
    const runner = await createTfliteRunner(writeTflite(b.build(), { description: '' }));
    runners.push(runner);
    expect(runner.inputs).toEqual([
      { name: 'x', dtype: 'float32', shape: [1, 2, 3, 4] },
      { name: 'y', dtype: 'float32', shape: [1, 2, 3, 4] },
    ]);
    expect(runner.outputs).toEqual([{ name: 'z', dtype: 'float32', shape: [1, 2, 3, 4] }]);
    const a = randomFloats(24, 1);
    const c = randomFloats(24, 2);
    const [out] = runner.run([a, c]);
    expectClose(
      out!,
      a.map((v, i) => Math.fround(v + c[i]!)),
      0,
    );
    expect(() => runner.run([a])).toThrow(TinyPdmError);
  });

  it('runs a 1x1 CONV_2D with bias and RELU', async () => {
    const [H, W, C, O] = [3, 4, 5, 2];
    const b = new GraphBuilder('conv1x1');
    const x = b.addTensor('x', [1, H, W, C], 'float32');
    const wData = randomFloats(O * C, 3);
    const bData = randomFloats(O, 4);
    const y = b.addTensor('y', [1, H, W, O], 'float32');
    b.addOp('CONV_2D', 'conv', [x, b.addConst('w', [O, 1, 1, C], wData, 'float32'), b.addConst('b', [O], bData, 'float32')], [y], {
      padding: 'SAME',
      strideH: 1,
      strideW: 1,
      dilationH: 1,
      dilationW: 1,
      activation: 'RELU',
    });
    b.inputs = [x];
    b.outputs = [y];
    const input = randomFloats(H * W * C, 5);
    const [out] = await run(b.build(), [input]);
    const expected = new Float64Array(H * W * O);
    for (let h = 0; h < H; h++)
      for (let w = 0; w < W; w++)
        for (let o = 0; o < O; o++) {
          let acc = bData[o]!;
          for (let c = 0; c < C; c++) acc += input[at([1, H, W, C], 0, h, w, c)]! * wData[o * C + c]!;
          expected[at([1, H, W, O], 0, h, w, o)] = Math.max(0, acc);
        }
    expectClose(out!, expected, 1e-5);
  });

  it('runs MAX_POOL_2D 2x2 stride 2', async () => {
    const s = [1, 4, 6, 3];
    const b = new GraphBuilder('pool');
    const x = b.addTensor('x', s, 'float32');
    const y = b.addTensor('y', [1, 2, 3, 3], 'float32');
    b.addOp('MAX_POOL_2D', 'pool', [x], [y], { padding: 'VALID', strideH: 2, strideW: 2, filterH: 2, filterW: 2, activation: 'NONE' });
    b.inputs = [x];
    b.outputs = [y];
    const input = randomFloats(72, 6);
    const [out] = await run(b.build(), [input]);
    const expected: number[] = [];
    for (let h = 0; h < 2; h++)
      for (let w = 0; w < 3; w++)
        for (let c = 0; c < 3; c++) {
          expected.push(Math.max(...[0, 1].flatMap((dy) => [0, 1].map((dx) => input[at(s, 0, 2 * h + dy, 2 * w + dx, c)]!))));
        }
    expectClose(out!, expected, 0);
  });

  it.each([
    [3, 5, 6, 10],
    [3, 5, 7, 8], // non-integer ratios
  ])('runs RESIZE_NEAREST_NEIGHBOR with half-pixel centers %ix%i -> %ix%i', async (inH, inW, outH, outW) => {
    const C = 2;
    const b = new GraphBuilder('resize');
    const x = b.addTensor('x', [1, inH, inW, C], 'float32');
    const y = b.addTensor('y', [1, outH, outW, C], 'float32');
    b.addOp('RESIZE_NEAREST_NEIGHBOR', 'up', [x, b.addConst('size', [2], Int32Array.from([outH, outW]), 'int32')], [y], {
      alignCorners: false,
      halfPixelCenters: true,
    });
    b.inputs = [x];
    b.outputs = [y];
    const input = randomFloats(inH * inW * C, 7);
    const [out] = await run(b.build(), [input]);
    const src = (o: number, inn: number, out: number) => Math.min(Math.floor(((o + 0.5) * inn) / out), inn - 1);
    const expected: number[] = [];
    for (let h = 0; h < outH; h++)
      for (let w = 0; w < outW; w++)
        for (let c = 0; c < C; c++) expected.push(input[at([1, inH, inW, C], 0, src(h, inH, outH), src(w, inW, outW), c)]!);
    expectClose(out!, expected, 0);
  });

  it('runs FULLY_CONNECTED', async () => {
    const [D, U] = [6, 4];
    const b = new GraphBuilder('fc');
    const x = b.addTensor('x', [1, D], 'float32');
    const wData = randomFloats(U * D, 8);
    const bData = randomFloats(U, 9);
    const y = b.addTensor('y', [1, U], 'float32');
    b.addOp('FULLY_CONNECTED', 'fc', [x, b.addConst('w', [U, D], wData, 'float32'), b.addConst('b', [U], bData, 'float32')], [y], {
      activation: 'NONE',
      keepNumDims: false,
    });
    b.inputs = [x];
    b.outputs = [y];
    const input = randomFloats(D, 10);
    const [out] = await run(b.build(), [input]);
    const expected = Array.from(
      { length: U },
      (_, u) => bData[u]! + wData.slice(u * D, u * D + D).reduce((s, w, d) => s + w * input[d]!, 0),
    );
    expectClose(out!, expected, 1e-5);
  });

  it('runs a float-io int8 model: QUANTIZE, per-channel CONV_2D 3x3 with int32 bias and RELU, DEQUANTIZE', async () => {
    const [H, W, C, O] = [5, 6, 3, 4];
    const inScale = 0.02;
    const inZp = -5;
    const outScale = 0.05;
    const outZp = -128;
    const wScale = [0.004, 0.006, 0.008, 0.01];
    const wq = randomInt8(O * 3 * 3 * C, 11);
    const biasReal = randomFloats(O, 12, -0.5, 0.5);
    const bq = Int32Array.from(biasReal, (v, o) => Math.round(v / (inScale * wScale[o]!)));

    const b = new GraphBuilder('int8_conv');
    const x = b.addTensor('x', [1, H, W, C], 'float32');
    const xq = b.addTensor('x_q', [1, H, W, C], 'int8', undefined, { scale: [inScale], zeroPoint: [inZp], axis: 0 });
    const yq = b.addTensor('y_q', [1, H, W, O], 'int8', undefined, { scale: [outScale], zeroPoint: [outZp], axis: 0 });
    const y = b.addTensor('y', [1, H, W, O], 'float32');
    b.addOp('QUANTIZE', 'q', [x], [xq], {});
    const w = b.addConst('w', [O, 3, 3, C], wq, 'int8', { scale: wScale, zeroPoint: [0, 0, 0, 0], axis: 0 });
    const bias = b.addConst('b', [O], bq, 'int32', { scale: wScale.map((s) => s * inScale), zeroPoint: [0, 0, 0, 0], axis: 0 });
    b.addOp('CONV_2D', 'conv', [xq, w, bias], [yq], {
      padding: 'SAME',
      strideH: 1,
      strideW: 1,
      dilationH: 1,
      dilationW: 1,
      activation: 'RELU',
    });
    b.addOp('DEQUANTIZE', 'dq', [yq], [y], {});
    b.inputs = [x];
    b.outputs = [y];

    const input = randomFloats(H * W * C, 13, -2, 2);
    const [out] = await run(b.build(), [input]);

    // Real-valued reference on the quantised input and weights, then output quantisation.
    const clamp = (v: number) => Math.min(127, Math.max(-128, v));
    const roundAway = (v: number) => Math.sign(v) * Math.round(Math.abs(v));
    const xDeq = input.map((v) => inScale * (clamp(roundAway(v / inScale) + inZp) - inZp));
    const expected: number[] = [];
    for (let h = 0; h < H; h++)
      for (let ww = 0; ww < W; ww++)
        for (let o = 0; o < O; o++) {
          let acc = bq[o]! * inScale * wScale[o]!;
          for (let ky = 0; ky < 3; ky++)
            for (let kx = 0; kx < 3; kx++) {
              const ih = h + ky - 1;
              const iw = ww + kx - 1;
              if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
              for (let c = 0; c < C; c++) acc += xDeq[at([1, H, W, C], 0, ih, iw, c)]! * wScale[o]! * wq[((o * 3 + ky) * 3 + kx) * C + c]!;
            }
          const q = clamp(Math.round(Math.max(0, acc) / outScale) + outZp);
          expected.push(outScale * (q - outZp));
        }
    // XNNPACK may differ from exact rounding by 1 LSB (XNNPACK's own quantised rounding).
    expectClose(out!, expected, outScale * 1.001);
    expect(out!.some((v) => v > 0)).toBe(true);
  });

  it.each(['float32', 'int8'] as const)('loads and runs the every-op graph (%s)', async (kind) => {
    const [out] = await run(allOpsGraph(kind), [randomFloats(128, 14)]);
    expect(out).toHaveLength(5);
    // LOGISTIC of a SOFTMAX output lies in [0.5, 0.74].
    for (const v of out!) {
      expect(v).toBeGreaterThanOrEqual(0.49);
      expect(v).toBeLessThanOrEqual(0.75);
    }
  });

  it('reports a model the runtime refuses as VERIFY_FAILED with its message', async () => {
    const garbage = new Uint8Array(64).fill(7);
    await expect(createTfliteRunner(garbage)).rejects.toMatchObject({
      code: 'VERIFY_FAILED',
      message: expect.stringContaining('refused the model'),
    });
  });
});
