import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { TinyPdmError } from '../../src/util/errors.js';
import { loadAnyModel } from '../../src/compiler/1-load/load-any.js';
import type { Graph } from '../../src/ir/graph.js';
import { snakeCase } from '../../src/compiler/1-load/loaders/keras-v3.js';
import { encodeNpy } from '../../src/util/npy.js';
import { buildFixture, fixtureNamed, representativeInputs } from '../fixtures/models.js';
import { writeKerasFixtures } from '../fixtures/keras/write.js';
import { runCli } from '../helpers/cli.js';
import { readTflite, writeTflite } from '../../src/compiler/index.js';

/**
 * Issue 7: the same weights as TF.js, Keras 2 .h5, Keras 3 .keras and float
 * .tflite give byte-identical int8 flatbuffers through the real CLI. The
 * Keras files are written by make_keras_fixtures.py (h5py) in Keras' own
 * layouts from the TF.js fixture's topology and weights; the float .tflite is
 * the lowered float graph written by our writeTflite (no TF converter here).
 */
let work: string;
let calib: string;
let tfjsModel: string;
let keras: Record<string, string>;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'tinypdm-keras-'));
  const fixture = fixtureNamed('paper');
  const { dir } = await buildFixture(fixture, work);
  tfjsModel = path.join(dir, 'model.json');
  const inputs = representativeInputs(fixture.inputShape, 8, 11);
  const flat = new Float32Array(inputs.length * inputs[0]!.length);
  inputs.forEach((x, i) => flat.set(x, i * x.length));
  calib = path.join(work, 'calib.npy');
  await writeFile(calib, encodeNpy([inputs.length, ...fixture.inputShape], flat));
  const kerasDir = path.join(work, 'keras');
  await mkdir(kerasDir);
  keras = await writeKerasFixtures(dir, kerasDir, {
    'model.h5': { format: 'h5', optimizer: true },
    'noopt.h5': { format: 'h5', shuffle_weight_names: true },
    'model.keras': { format: 'keras', optimizer: true },
    'noopt.keras': { format: 'keras' },
    'missing.h5': { format: 'h5', drop_weights_of: ['encoder_conv2'] },
    'missing.keras': { format: 'keras', drop_weights_of: ['encoder_conv2'] },
    'unknown.h5': { format: 'h5', class_override: { decoder_up1: 'UpSampling3D' } },
    'unknown.keras': { format: 'keras', class_override: { decoder_up1: 'UpSampling3D' } },
  });
}, 300_000);

async function emitTo(model: string, name: string, extra: string[] = ['--calib', calib]) {
  const out = path.join(work, `out-${name}`);
  const r = await runCli(['emit', model, ...extra, '--out', out]);
  return { ...r, out, tflite: new Uint8Array(await readFile(path.join(out, 'model.tflite')).catch(() => Buffer.alloc(0))) };
}

describe('one model, four formats, one int8 flatbuffer (real CLI)', () => {
  it('TF.js, Keras 2 .h5 (with/without optimizer), Keras 3 .keras (with/without) and float .tflite agree byte for byte', async () => {
    const reference = await emitTo(tfjsModel, 'tfjs');
    expect(reference.stderr).toBe('');
    expect(reference.exitCode).toBe(0);
    expect(reference.stdout).toContain('read tfjs-layers');
    expect(reference.tflite.length).toBeGreaterThan(40_000);

    const expectations: Array<[string, string, string]> = [
      [keras['model.h5']!, 'h5', 'read keras-h5 (Keras 2.15.0), 9 layers'],
      [keras['noopt.h5']!, 'h5-noopt', 'read keras-h5 (Keras 2.15.0), 9 layers'],
      [keras['model.keras']!, 'keras', 'read keras-v3 (Keras 3.3.3), 9 layers'],
      [keras['noopt.keras']!, 'keras-noopt', 'read keras-v3 (Keras 3.3.3), 9 layers'],
      [path.join(reference.out, 'model_float.tflite'), 'float-tflite', 'read tflite, 9 layers'],
    ];
    for (const [model, name, detected] of expectations) {
      const r = await emitTo(model, name);
      expect(r.stderr, name).toBe('');
      expect(r.exitCode, name).toBe(0);
      expect(r.stdout, name).toContain(detected);
      expect(Buffer.from(r.tflite).equals(Buffer.from(reference.tflite)), `${name} model.tflite differs from the TF.js one`).toBe(true);
    }
  }, 240_000);

  it('detects by content, not extension: a .keras renamed .bin and an .h5 renamed .dat still load', async () => {
    const renamedKeras = path.join(work, 'model.bin');
    const renamedH5 = path.join(work, 'model.dat');
    await writeFile(renamedKeras, await readFile(keras['model.keras']!));
    await writeFile(renamedH5, await readFile(keras['model.h5']!));
    expect((await loadAnyModel(renamedKeras)).format).toBe('keras-v3');
    expect((await loadAnyModel(renamedH5)).format).toBe('keras-h5');
  });

  it('an int8 .tflite passes through with its tensors unchanged, and the real TFLite runtime still verifies it', async () => {
    const source = path.join(work, 'out-tfjs', 'model.tflite');
    const before = new Uint8Array(await readFile(source));
    const r = await emitTo(source, 'int8', []);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const a = readTflite(before, 'before');
    const b = readTflite(r.tflite, 'after');
    expect(b.tensors.length).toBe(a.tensors.length);
    a.tensors.forEach((t, i) => {
      const u = b.tensors[i]!;
      expect([u.name, u.dtype, u.shape, u.quant]).toEqual([t.name, t.dtype, t.shape, t.quant]);
      expect(u.data === undefined ? undefined : Buffer.from(u.data.buffer, u.data.byteOffset, u.data.byteLength)).toEqual(
        t.data === undefined ? undefined : Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength),
      );
    });
    const verify = await runCli(['verify', path.join(r.out, 'model.tflite'), '--calib', calib, '--json']);
    expect(verify.exitCode).toBe(0);
  }, 120_000);
});

describe('Keras layouts', () => {
  it('snake_case matches keras.src.utils.naming.to_snake_case for the supported classes', () => {
    // Expected values worked out by hand from Keras' three regexes.
    expect(
      [
        'Conv2D',
        'MaxPooling2D',
        'UpSampling2D',
        'BatchNormalization',
        'DepthwiseConv2D',
        'Conv2DTranspose',
        'InputLayer',
        'ReLU',
        'Sequential',
        'GlobalAveragePooling2D',
      ].map(snakeCase),
    ).toEqual([
      'conv2d',
      'max_pooling2d',
      'up_sampling2d',
      'batch_normalization',
      'depthwise_conv2d',
      'conv2d_transpose',
      'input_layer',
      're_lu',
      'sequential',
      'global_average_pooling2d',
    ]);
  });

  // BatchNorm without beta/gamma, bias-free depthwise, Dense (mixed); multi-input Add (add);
  // Concatenate; Conv2DTranspose: every weight-carrying class of the Keras 3 variable table.
  it.each(['mixed', 'add', 'concatenate', 'conv-transpose'])(
    'the %s fixture lowers to the same IR from TF.js, .h5 and .keras',
    async (name) => {
      const parent = path.join(work, `fx-${name}`);
      const { dir } = await buildFixture(fixtureNamed(name), parent);
      const files = await writeKerasFixtures(dir, parent, {
        'm.h5': { format: 'h5', shuffle_weight_names: true },
        'm.keras': { format: 'keras' },
      });
      const reference = (await loadAnyModel(dir)).graph;
      for (const f of [files['m.h5']!, files['m.keras']!]) {
        const loaded = await loadAnyModel(f);
        expect(comparable(loaded.graph), f).toEqual(comparable(reference));
      }
    },
    120_000,
  );
});

/**
 * The graph's ops and tensors with constant data as plain arrays (exact float
 * equality). Graph inputs are named after the file's InputLayer, which Keras
 * names differently from TF.js for a Sequential ('conv_input' vs 'mixed_input'),
 * so their names are left out.
 */
function comparable(g: Graph) {
  return {
    inputs: g.inputs,
    outputs: g.outputs,
    ops: g.ops.map((o) => ({ kind: o.kind, name: o.name, inputs: o.inputs, outputs: o.outputs, options: o.options })),
    tensors: g.tensors.map((t) => ({
      name: g.inputs.includes(t.id) ? '(input)' : t.name,
      shape: t.shape,
      dtype: t.dtype,
      data: t.data ? Array.from(t.data as Float32Array) : undefined,
    })),
  };
}

/**
 * Errors are checked in process (each CLI start costs seconds); one case goes
 * through the CLI to show the exit code and the single stderr line.
 */
describe('one-line errors that name the layer or the path', () => {
  const expectError = async (model: string, code: string, ...parts: string[]) => {
    const e = await loadAnyModel(model).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e, model).toBeInstanceOf(TinyPdmError);
    const err = e as TinyPdmError;
    expect(err.code, err.message).toBe(code);
    expect(err.message).not.toContain('\n');
    for (const p of parts) expect(err.message).toContain(p);
  };

  it('through the CLI: exit 1 and one stderr line naming the layer and the HDF5 path', async () => {
    const r = await emitTo(keras['missing.keras']!, 'missing-keras');
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      "tinypdm: error [MISSING_WEIGHTS]: layer 'encoder_conv2' (Conv2D) has no weights at '" +
        keras['missing.keras']! +
        ":model.weights.h5:/layers/sequential/layers/conv2d_1/vars'; the weights file is incomplete or from another model, save the model again with model.save('model.keras')",
    ]);
  });

  it('missing weights in a Keras 2 .h5 name the layer and the weight', async () => {
    await expectError(keras['missing.h5']!, 'MISSING_WEIGHTS', "layer 'encoder_conv2' (Conv2D)", "'kernel'");
  });

  it.each([
    ['model.h5', 4096],
    ['model.keras', 3000],
  ])('a truncated %s names the file', async (name, keep) => {
    const p = path.join(work, `truncated-${name}`);
    await writeFile(p, (await readFile(keras[name]!)).subarray(0, keep));
    await expectError(p, 'CORRUPT_FILE', p);
  });

  it('garbage after an HDF5 signature names the file', async () => {
    const p = path.join(work, 'garbage.h5');
    const bytes = new Uint8Array(2048).map((_, i) => (i * 37) & 0xff);
    bytes.set([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
    await writeFile(p, bytes);
    await expectError(p, 'CORRUPT_FILE', p, 'HDF5');
  });

  it('a zip that is not a .keras archive says what it lacks', async () => {
    const p = path.join(work, 'other.zip');
    await writeFile(p, zipSync({ 'readme.txt': new TextEncoder().encode('hi') }));
    await expectError(p, 'NOT_A_MODEL', p, 'config.json');
  });

  it('an unknown layer class names the layer and lists the supported ones', async () => {
    for (const f of ['unknown.h5', 'unknown.keras']) {
      await expectError(keras[f]!, 'UNSUPPORTED_LAYER', "layer 'decoder_up1' (UpSampling3D)", 'supported layers: ', 'UpSampling2D');
    }
  });

  it('a hybrid (dynamic-range) .tflite is refused with the reason', async () => {
    const floatGraph = readTflite(new Uint8Array(await readFile(path.join(work, 'out-tfjs', 'model_float.tflite'))), 'f');
    // Dynamic-range quantisation: int8 per-channel weights, float activations.
    const conv = floatGraph.ops[0]!;
    const filter = floatGraph.tensors[conv.inputs[1]!]!;
    const channels = filter.shape[0]!;
    const w = filter.data as Float32Array;
    const per = w.length / channels;
    const scale = Array.from(
      { length: channels },
      (_, c) => Math.max(...Array.from(w.subarray(c * per, (c + 1) * per), Math.abs)) / 127 || 1,
    );
    filter.data = Int8Array.from(w, (v, i) => Math.round(v / scale[Math.floor(i / per)]!));
    filter.dtype = 'int8';
    filter.quant = { scale, zeroPoint: scale.map(() => 0), axis: 0 };
    const p = path.join(work, 'hybrid.tflite');
    await writeFile(p, writeTflite(floatGraph, { description: 'hybrid' }));
    await expectError(p, 'UNSUPPORTED_FORMAT', p, 'hybrid', 'TFLM cannot run it');
  });

  it('a weights-only .h5 and a SavedModel directory get the fix', async () => {
    const p = path.join(work, 'weights-only.h5');
    await execa('/usr/bin/python3', [
      '-c',
      `import h5py, numpy as np\nf = h5py.File(${JSON.stringify(p)}, 'w')\nf.attrs['layer_names'] = np.array([b'dense'])\nf.create_group('dense').attrs['weight_names'] = np.array([b'dense/kernel:0'])\nf.close()`,
    ]);
    await expectError(p, 'NOT_A_MODEL', p, 'weights only', "model.save('model.h5')");

    const saved = path.join(work, 'saved_model_dir');
    await mkdir(saved);
    await writeFile(path.join(saved, 'saved_model.pb'), new Uint8Array([8, 1]));
    await expectError(saved, 'UNSUPPORTED_FORMAT', 'SavedModel', "tf.lite.TFLiteConverter.from_saved_model('saved_model_dir')");
  });
});
