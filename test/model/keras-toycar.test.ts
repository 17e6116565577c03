import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAnyModel } from '../../src/compiler/1-load/load-any.js';
import { runGraph } from '../../src/runtime/index.js';
import { initBackend } from '../../src/learn/backend.js';
import { encodeNpy } from '../../src/util/npy.js';
import { representativeInputs, seededRandom } from '../fixtures/models.js';
import { writeKerasFixtures } from '../fixtures/keras/write.js';
import { runCli } from '../helpers/cli.js';
import { saveLayersModel } from '../../src/learn/index.js';

/**
 * Issue 15 part 4: MLPerf Tiny's anomaly-detection reference model, the Keras 2
 * file users bring (`model_ToyCar.hdf5` in mlcommons/tiny
 * benchmark/training/anomaly_detection, saved by TF 2.3 = Keras 2.4.0). Its
 * architecture is keras_model.py's get_model(640): Dense 128 ×4 → Dense 8 →
 * Dense 128 ×4, each followed by BatchNormalization and ReLU, then a linear
 * Dense 640. The file is written here with h5py from seeded random weights,
 * with Keras 2's quirk: a layer without weights (input_1, the Activations)
 * stores its empty `weight_names` as an empty float64 array, which tinypdm
 * refused ("should be a list of strings, got Float64Array").
 */
const PYTHON = '/usr/bin/python3';
const WIDTHS = [128, 128, 128, 128, 8, 128, 128, 128, 128];
let work: string;
let h5: string;
let calib: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'tinypdm-toycar-'));
  await initBackend();
  const model = toyCarModel(640, 15);
  const tfjsDir = path.join(work, 'tfjs');
  await saveLayersModel(model, tfjsDir);
  model.dispose();
  const kerasDir = path.join(work, 'keras');
  await mkdir(kerasDir);
  const files = await writeKerasFixtures(tfjsDir, kerasDir, {
    'model_ToyCar.hdf5': { format: 'h5', keras_version: '2.4.0', empty_weight_names: 'float64' },
  });
  h5 = files['model_ToyCar.hdf5']!;
  const inputs = representativeInputs([640], 16, 3);
  const flat = new Float32Array(inputs.length * 640);
  inputs.forEach((x, i) => flat.set(x, i * 640));
  calib = path.join(work, 'calib.npy');
  await writeFile(calib, encodeNpy([inputs.length, 640], flat));
}, 240_000);
afterAll(() => rm(work, { recursive: true, force: true }));

/** keras_model.py's get_model(640) with Keras' own layer names, and seeded random weights and BatchNorm statistics. */
function toyCarModel(inputDim: number, seed: number): tf.LayersModel {
  const input = tf.input({ shape: [inputDim], name: 'input_1' });
  let h = input;
  WIDTHS.forEach((units, i) => {
    h = tf.layers.dense({ units, name: `Dense_${i + 1}` }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.batchNormalization({ name: `Batch_Normalization_${i + 1}` }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.activation({ activation: 'relu', name: i === 0 ? 'activation' : `activation_${i}` }).apply(h) as tf.SymbolicTensor;
  });
  const out = tf.layers.dense({ units: inputDim, name: 'Dense_10' }).apply(h) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out, name: 'functional_1' });
  const rand = seededRandom(seed);
  for (const layer of model.layers) {
    const values = layer.weights.map((w) => {
      const name = w.originalName.split('/').pop()!;
      const shape = w.shape as number[];
      const n = shape.reduce((a, b) => a * b, 1);
      const fanIn = shape[0] ?? 1;
      const data = Float32Array.from({ length: n }, () => {
        const u = rand();
        if (name.startsWith('kernel')) return (2 * u - 1) * Math.sqrt(3 / fanIn);
        if (name.startsWith('gamma') || name.startsWith('moving_variance')) return 0.5 + u;
        return 0.2 * (u - 0.5); // bias, beta, moving_mean
      });
      return tf.tensor(data, shape);
    });
    if (values.length > 0) layer.setWeights(values);
  }
  return model;
}

describe('MLPerf Tiny ToyCar (Keras 2, TF 2.3)', () => {
  it('the fixture has the quirk: empty weight_names stored as float64 for input_1 and the activations', async () => {
    const { stdout } = await execa(PYTHON, [
      '-c',
      [
        'import h5py, sys',
        'f = h5py.File(sys.argv[1], "r")',
        'for n in ["input_1", "activation", "activation_8", "Dense_1"]:',
        '    a = f["model_weights"][n].attrs["weight_names"]',
        '    print(n, a.dtype, a.size)',
        'v = f.attrs["keras_version"]',
        'print(v.decode() if isinstance(v, bytes) else v)',
      ].join('\n'),
      h5,
    ]);
    expect(stdout.trim().split('\n')).toEqual([
      'input_1 float64 0',
      'activation float64 0',
      'activation_8 float64 0',
      'Dense_1 |S16 2',
      '2.4.0',
    ]);
  }, 60_000);

  it('loads, and the float graph computes what a numpy forward pass of the Keras file computes', async () => {
    const { graph, format, kerasVersion } = await loadAnyModel(h5);
    expect([format, kerasVersion]).toEqual(['keras-h5', '2.4.0']);
    const x = representativeInputs([640], 4, 21);
    const ours = x.map((xi) => Array.from(runGraph(graph, [xi]).outputs[0] as Float32Array));
    // Independent reference: the weights read by Keras name with h5py, BatchNorm as Keras computes it (epsilon 0.001).
    const script = [
      'import h5py, json, sys, numpy as np',
      'f = h5py.File(sys.argv[1], "r"); w = f["model_weights"]',
      'def get(layer, name): return np.array(w[layer][f"{layer}/{name}:0"], dtype=np.float64)',
      'xs = np.array(json.load(sys.stdin), dtype=np.float64)',
      'out = []',
      'for x in xs:',
      '    h = x',
      `    for i in range(1, ${WIDTHS.length + 1}):`,
      '        d, b = f"Dense_{i}", f"Batch_Normalization_{i}"',
      '        h = h @ get(d, "kernel") + get(d, "bias")',
      '        h = (h - get(b, "moving_mean")) / np.sqrt(get(b, "moving_variance") + 1e-3) * get(b, "gamma") + get(b, "beta")',
      '        h = np.maximum(h, 0)',
      `    out.append((h @ get("Dense_10", "kernel") + get("Dense_10", "bias")).tolist())`,
      'print(json.dumps(out))',
    ].join('\n');
    const { stdout } = await execa(PYTHON, ['-c', script, h5], { input: JSON.stringify(x.map((xi) => Array.from(xi))) });
    const ref = JSON.parse(stdout) as number[][];
    let maxErr = 0;
    let maxRef = 0;
    ref.forEach((row, i) =>
      row.forEach((v, k) => {
        maxErr = Math.max(maxErr, Math.abs(v - ours[i]![k]!));
        maxRef = Math.max(maxRef, Math.abs(v));
      }),
    );
    expect(maxRef).toBeGreaterThan(0.1);
    expect(maxErr / maxRef).toBeLessThan(1e-5);
  }, 120_000);

  it('emit compiles it to int8 (10 FULLY_CONNECTED, 264,192 MACs) and verify passes against the real TFLite runtime', async () => {
    const out = path.join(work, 'build');
    const r = await runCli(['emit', h5, '--calib', calib, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('read keras-h5 (Keras 2.4.0)');
    const report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8'));
    // MACs of the published int8 ToyCar model: 640·128 + 3·128·128 + 128·8 + 8·128 + 3·128·128 + 128·640.
    expect(report.totals.macs).toBe(264_192);
    const kinds = (report.ops as Array<{ kind: string }>).map((o) => o.kind);
    expect(kinds.filter((k) => k === 'FULLY_CONNECTED')).toHaveLength(10);
    expect(report.totals.params).toBe(264_192 + 8 * 128 + 8 + 640); // weights + biases: BatchNorm folds into the Dense layers
    const verify = await runCli(['verify', path.join(out, 'model.tflite'), '--calib', calib, '--json']);
    expect(verify.exitCode, verify.stderr).toBe(0);
    const v = JSON.parse(verify.stdout);
    expect(v.perOp.map((o: { kind: string }) => o.kind).filter((k: string) => k === 'FULLY_CONNECTED')).toHaveLength(10);
    // XNNPACK in the real runtime may differ from TFLM's reference kernels by an LSB, never more here.
    expect(v.agreement.maxLsb).toBeLessThanOrEqual(1);
    expect(v.agreement.identicalShare).toBeGreaterThan(0.99);
  }, 240_000);
});
