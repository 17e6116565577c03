import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TinyPdmError } from '../../src/util/errors.js';
import { GraphBuilder } from '../../src/ir/builder.js';
import { emit, type EmitOptions } from '../../src/compiler/compile.js';
import { readTflite, writeTflite } from '../../src/compiler/index.js';
import { createTfliteRunner } from '../../src/tflite/index.js';
import { encodeNpy } from '../../src/util/npy.js';
import { verifyModel } from '../../src/verify/verify.js';
import { writeHandModel } from '../fixtures/hand-written.js';
import { runCli } from '../helpers/cli.js';
import { HOSTILE_GRAPHS } from '../model/graph-cases.js';

/**
 * Issue 13 §4–§6 through `emit`: models the real TFLite runtime used to refuse
 * after emit wrote them (Dense with an all-zero kernel or large weights and a
 * small output range, a float conv without a bias) now compile into models it
 * accepts; int8 files that break the graph rules, NaN/Inf in weights or
 * calibration data, and biases beyond int32 are refused with one line and
 * nothing written; a calibration outlier is a warning with the numbers.
 */
let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'tinypdm-emit-graph-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

const sequential = (layers: object[]) => ({ class_name: 'Sequential', config: { name: 'seq', layers } });
const dense = (units: number, inputs: number) => ({
  class_name: 'Dense',
  config: { name: 'dense', units, activation: 'linear', use_bias: true, batch_input_shape: [null, inputs] },
});

async function denseModel(name: string, kernel: Float32Array, bias: number[]): Promise<string> {
  const inputs = kernel.length / bias.length;
  return writeHandModel(path.join(work, name), sequential([dense(bias.length, inputs)]), [
    { name: 'dense/kernel', shape: [inputs, bias.length], data: kernel },
    { name: 'dense/bias', shape: [bias.length], data: bias },
  ]);
}

async function npy(name: string, shape: number[], data: Float32Array): Promise<string> {
  const file = path.join(work, name);
  await writeFile(file, encodeNpy(shape, data));
  return file;
}

async function emitTo(name: string, opts: Omit<EmitOptions, 'out' | 'io' | 'command'>): Promise<{ out: string; warnings: string[] }> {
  const out = path.join(work, name);
  const warnings: string[] = [];
  await emit({ out, io: 'int8', command: 'test', onWarning: (m) => warnings.push(m), ...opts });
  return { out, warnings };
}

async function errorOf(run: () => Promise<unknown>): Promise<TinyPdmError> {
  try {
    await run();
  } catch (e) {
    if (e instanceof TinyPdmError) return e;
    throw e;
  }
  throw new Error('expected a TinyPdmError');
}

/** The real runtime loads the file and runs one input through it. */
async function runtimeRuns(file: string): Promise<void> {
  const bytes = new Uint8Array(await readFile(file));
  const runner = await createTfliteRunner(bytes, file);
  try {
    runner.run(runner.inputs.map((t) => new Array<number>(t.shape.reduce((a, b) => a * b, 1)).fill(0)));
  } finally {
    runner.dispose();
  }
}

describe('FULLY_CONNECTED models the TFLite runtime used to refuse (kernel_util.cc:319)', () => {
  const calibOf = async (name: string, samples: number[][]) =>
    npy(name, [samples.length, samples[0]!.length], Float32Array.from(samples.flat()));

  it('an all-zero kernel: the bias has one scale, the weight scale is not 0, and the runtime runs the model', async () => {
    const model = await denseModel('fc-zero', new Float32Array(8 * 3), [0.1, -0.2, 0.3]);
    const calib = await calibOf(
      'fc-zero.npy',
      Array.from({ length: 6 }, (_, s) => Array.from({ length: 8 }, (_, i) => Math.sin(s + i))),
    );
    const { out } = await emitTo('out-fc-zero', { model, calib });
    const g = readTflite(new Uint8Array(await readFile(path.join(out, 'model.tflite'))), 'model.tflite');
    const fc = g.ops.find((o) => o.kind === 'FULLY_CONNECTED')!;
    const [input, weights, bias] = fc.inputs.map((id) => g.tensors[id]!);
    expect(weights!.quant!.scale).toHaveLength(1);
    expect(weights!.quant!.scale[0]).toBeGreaterThan(0);
    expect(bias!.quant!.scale).toHaveLength(1);
    const product = input!.quant!.scale[0]! * weights!.quant!.scale[0]!;
    expect(Math.abs(bias!.quant!.scale[0]! - product) / product).toBeLessThan(1e-6);
    await runtimeRuns(path.join(out, 'model.tflite'));
    const r = await verifyModel({
      modelPath: path.join(out, 'model.tflite'),
      calibPath: calib,
      randomInputs: 4,
      seed: 1,
      maxLsb: 1,
      minIdenticalShare: 0.99,
    });
    expect(r.failures).toEqual([]);
    // The bias alone is the output: at the zero channel's scale it is stored finer than an output step.
    expect(r.floatError!.maxAbs).toBeLessThanOrEqual(g.tensors[g.outputs[0]!]!.quant!.scale[0]!);
  });

  it('large weights and a small output range: the runtime runs the model', async () => {
    // Each unit's weights cancel on inputs whose elements are all equal, so the output range is the bias's alone.
    const kernel = Float32Array.from({ length: 8 * 3 }, (_, i) => (Math.floor(i / 3) % 2 ? 1000 : -1000));
    const model = await denseModel('fc-large', kernel, [0.01, 0.005, 0.002]);
    const calib = await calibOf(
      'fc-large.npy',
      Array.from({ length: 6 }, (_, s) => new Array<number>(8).fill((s + 1) / 8)),
    );
    const { out } = await emitTo('out-fc-large', { model, calib });
    const g = readTflite(new Uint8Array(await readFile(path.join(out, 'model.tflite'))), 'model.tflite');
    const fc = g.ops.find((o) => o.kind === 'FULLY_CONNECTED')!;
    const [input, weights] = fc.inputs.map((id) => g.tensors[id]!);
    // The case the runtime refused with a per-channel-looking bias: input·weight scale over 0.02 output scales.
    expect((input!.quant!.scale[0]! * weights!.quant!.scale[0]!) / g.tensors[fc.outputs[0]!]!.quant!.scale[0]!).toBeGreaterThan(0.02);
    await runtimeRuns(path.join(out, 'model.tflite'));
    await runtimeRuns(path.join(out, 'model_float.tflite'));
  });
});

describe('a float .tflite conv without a bias', () => {
  it('gets a zero bias, so both written models run in the TFLite runtime', async () => {
    const b = new GraphBuilder('nobias');
    const x = b.addTensor('x', [1, 6, 6, 2], 'float32');
    const y = b.addTensor('y', [1, 6, 6, 3], 'float32');
    const z = b.addTensor('z', [1, 6, 6, 3], 'float32');
    b.addOp(
      'CONV_2D',
      'conv',
      [
        x,
        b.addConst(
          'w',
          [3, 3, 3, 2],
          Float32Array.from({ length: 54 }, (_, i) => Math.cos(i) / 4),
          'float32',
        ),
        -1,
      ],
      [y],
      {
        padding: 'SAME',
        strideH: 1,
        strideW: 1,
        dilationH: 1,
        dilationW: 1,
        activation: 'RELU',
      },
    );
    b.addOp(
      'DEPTHWISE_CONV_2D',
      'dw',
      [
        y,
        b.addConst(
          'dw',
          [1, 3, 3, 3],
          Float32Array.from({ length: 27 }, (_, i) => Math.sin(i) / 4),
          'float32',
        ),
        -1,
      ],
      [z],
      {
        padding: 'SAME',
        strideH: 1,
        strideW: 1,
        dilationH: 1,
        dilationW: 1,
        depthMultiplier: 1,
        activation: 'NONE',
      },
    );
    b.inputs = [x];
    b.outputs = [z];
    const model = path.join(work, 'nobias.tflite');
    await writeFile(model, writeTflite(b.build(), { description: 'test' }));
    const calib = await npy(
      'nobias.npy',
      [4, 6, 6, 2],
      Float32Array.from({ length: 4 * 72 }, (_, i) => Math.sin(i / 7)),
    );
    const { out } = await emitTo('out-nobias', { model, calib });
    for (const f of ['model.tflite', 'model_float.tflite']) {
      const g = readTflite(new Uint8Array(await readFile(path.join(out, f))), f);
      for (const op of g.ops) expect(op.inputs[2], `${f} ${op.name}`).toBeGreaterThanOrEqual(0);
      await runtimeRuns(path.join(out, f));
    }
  });
});

describe('int8 .tflite files that break the graph rules', () => {
  it.each(Object.entries(HOSTILE_GRAPHS))('%s: emit and verify refuse it, naming the op, and nothing is written', async (name, c) => {
    const file = path.join(work, `${name.replace(/\W+/g, '-')}.tflite`);
    await writeFile(file, writeTflite(c.graph(), { description: 'hostile' }));
    const out = path.join(work, `out-${path.basename(file, '.tflite')}`);
    for (const e of [
      await errorOf(() => emit({ model: file, out, io: 'int8', command: 'test' })),
      await errorOf(() => verifyModel({ modelPath: file, randomInputs: 2, seed: 1, maxLsb: 1, minIdenticalShare: 0.99 })),
    ]) {
      expect(e.code).toBe(c.code);
      expect(e.message.startsWith(`${file}: `), e.message).toBe(true);
      for (const m of c.mentions) expect(e.message).toMatch(m);
    }
    expect((await readdir(work)).filter((f) => f.includes(path.basename(out)))).toEqual([]);
  });

  it('through the CLI: an int8 graph with no inputs is exit 1 with one line (was a TypeError, exit 2)', async () => {
    const file = path.join(work, 'no-inputs.tflite');
    await writeFile(file, writeTflite(HOSTILE_GRAPHS['no inputs']!.graph(), { description: 'hostile' }));
    const r = await runCli(['emit', file, '--out', path.join(work, 'out-no-inputs')]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
    expect(r.stderr).toMatch(/\[INVALID_GRAPH\].*no-inputs\.tflite: the graph 'small_int8' has no inputs/);
  });
});

describe('numbers that are not numbers', () => {
  it('a NaN weight in a TF.js model is refused naming the tensor, the layer and the index', async () => {
    const kernel = Float32Array.from({ length: 8 * 3 }, (_, i) => i / 10);
    kernel[13] = NaN;
    const model = await denseModel('fc-nan', kernel, [0, 0, 0]);
    const e = await errorOf(() =>
      emit({ model, out: path.join(work, 'out-fc-nan'), io: 'int8', command: 'test', calib: path.join(work, 'unused.npy') }),
    );
    expect(e.code).toBe('NON_FINITE');
    // Keras stores the kernel [inputs, units]; TFLite (and the message) [units, inputs]: Keras index 13 = [4, 1] is [1, 4], index 12.
    expect(e.message).toMatch(
      /fc-nan\/model\.json: model 'seq': tensor 'dense\/kernel' \(op 0 FULLY_CONNECTED 'dense'\) holds NaN at index 12 \(element \[1, 4\] of \[3, 8\], the TFLite layout\)/,
    );
  });

  it('NaN or Infinity in the calibration data is refused naming the file and the first bad index', async () => {
    const model = await denseModel(
      'fc-calib',
      Float32Array.from({ length: 8 * 3 }, (_, i) => Math.cos(i)),
      [0, 0, 0],
    );
    for (const bad of [NaN, Infinity, -Infinity]) {
      const data = Float32Array.from({ length: 4 * 8 }, (_, i) => Math.sin(i));
      data[19] = bad;
      data[27] = NaN;
      const calib = await npy(`calib-${String(bad)}.npy`, [4, 8], data);
      const e = await errorOf(() => emit({ model, calib, out: path.join(work, 'out-calib-bad'), io: 'int8', command: 'test' }));
      expect(e.code).toBe('NON_FINITE');
      expect(e.message).toMatch(new RegExp(`calib-${String(bad)}\\.npy: value ${String(bad)} at index 19 \\(sample 2, element 3 of 8\\)`));
    }
  });

  it('an activation that overflows to Infinity on finite data is refused naming the tensor', async () => {
    const model = await denseModel('fc-overflow', new Float32Array(8 * 3).fill(3e38), [0, 0, 0]);
    const calib = await npy('overflow.npy', [2, 8], new Float32Array(16).fill(1));
    const e = await errorOf(() => emit({ model, calib, out: path.join(work, 'out-overflow'), io: 'int8', command: 'test' }));
    expect(e.code).toBe('NON_FINITE');
    expect(e.message).toMatch(/tensor 'dense' \(output of op 0 FULLY_CONNECTED 'dense'\) reached Infinity on calibration sample 0/);
  });

  it('a bias that does not fit int32 after quantisation is refused, not clamped', async () => {
    const model = await denseModel(
      'fc-bias',
      Float32Array.from({ length: 8 * 3 }, (_, i) => Math.cos(i)),
      [0.1, 1e30, 0.3],
    );
    const calib = await npy(
      'bias.npy',
      [2, 8],
      Float32Array.from({ length: 16 }, (_, i) => Math.sin(i)),
    );
    const e = await errorOf(() => emit({ model, calib, out: path.join(work, 'out-bias'), io: 'int8', command: 'test' }));
    expect(e.code).toBe('QUANTIZATION');
    expect(e.message).toMatch(/layer 'dense': bias 'dense\/bias' \[1\] = 1\.0000000150474662e\+30 does not fit int32/);
  });

  it('a calibration outlier is a warning with the numbers; verify then fails the int8-vs-float error, unless the tolerance is raised', async () => {
    const model = await denseModel(
      'fc-outlier',
      Float32Array.from({ length: 8 * 3 }, (_, i) => Math.cos(i) / 2),
      [0.1, 0, -0.1],
    );
    const good = Float32Array.from({ length: 64 * 8 }, (_, i) => Math.abs(Math.sin(i * 0.37)));
    const bad = good.slice();
    bad[5 * 8 + 2] = 1e30;
    const { out, warnings } = await emitTo('out-outlier', { model, calib: await npy('outlier.npy', [64, 8], bad) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /outlier\.npy: calibration range of tensor '[^']+' is \[0\.00, 1\.00e\+30\], .*× wider than the \[0\.00, 1\.00\] .*The extreme value is in sample 5/,
    );
    const goodCalib = await npy('outlier-good.npy', [64, 8], good);
    expect((await emitTo('out-no-outlier', { model, calib: goodCalib })).warnings).toEqual([]);
    const opts = {
      modelPath: path.join(out, 'model.tflite'),
      calibPath: goodCalib,
      randomInputs: 2,
      seed: 1,
      maxLsb: 1,
      minIdenticalShare: 0.99,
    };
    const r = await verifyModel(opts);
    expect(r.passed).toBe(false);
    expect(r.failures).toEqual([
      expect.stringMatching(/RMSE against the float model is \d+\.\d% of the float output's RMS \(tolerance 25%\)/),
    ]);
    expect((await verifyModel({ ...opts, maxFloatError: 2 })).passed).toBe(true);
  });
});

describe('one sketch-name check for emit and ci', () => {
  it.each([['a/b.c'], [''], ['9lives'], ['x'.repeat(64)]])('refuses --sketch-name %j in both, exit 1', async (name) => {
    const ci = await runCli(['ci', '--sketch-name', name, '--out', path.join(work, 'wf.yml')]);
    expect(ci.exitCode).toBe(1);
    expect(ci.stderr).toMatch(/\[BAD_ARGUMENT\].*--sketch-name .* is not a valid sketch name/);
    const e = await errorOf(() =>
      emit({
        model: path.join(work, 'missing.json'),
        out: path.join(work, 'out-name'),
        io: 'int8',
        command: 'test',
        board: 'nano33ble',
        sketchName: name,
      }),
    );
    expect(e.code).toBe('BAD_ARGUMENT');
    expect(e.message).toMatch(/is not a valid sketch name/);
  });
});
