import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/compiler/1-load/index.js';
import { saveLayersModel } from '../../src/learn/index.js';
import { calibrate } from '../../src/compiler/3-quantize/calibrate.js';
import { quantizeInt8 } from '../../src/compiler/3-quantize/quantize-int8.js';
import { opStats } from '../../src/compiler/index.js';
import { MODEL_INPUT_QUANT } from '../../src/data/run-config.js';
import { runGraph } from '../../src/runtime/index.js';
import { frameStackAutoencoder } from '../../src/learn/architectures.js';
import { initBackend } from '../../src/learn/backend.js';
import { mulberry32 } from '../helpers/random.js';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('frame-stack autoencoder (MLPerf Tiny / DCASE baseline AE)', () => {
  it('128 Mel × 5 frames: MLPerf Tiny ToyCar shapes, 264,192 MACs, FULLY_CONNECTED only after BatchNorm folding', async () => {
    await initBackend();
    const model = frameStackAutoencoder([128, 5, 1], 1);
    const dense = model.layers.filter((l) => l.getClassName() === 'Dense').map((l) => (l.getConfig() as { units: number }).units);
    expect(dense).toEqual([128, 128, 128, 128, 8, 128, 128, 128, 128, 640]);
    const dir = await mkdtemp(path.join(tmpdir(), 'tp-fs-'));
    dirs.push(dir);
    await saveLayersModel(model, dir);
    model.dispose();
    const { graph } = await loadModel(path.join(dir, 'model.json'));
    const r = mulberry32(5);
    const calib = Float32Array.from({ length: 8 * 640 }, () => r());
    const q = quantizeInt8(graph, { ranges: calibrate(graph, calib, 'random'), io: 'int8', inputQuant: MODEL_INPUT_QUANT });
    const stats = opStats(q);
    expect(stats.reduce((s, o) => s + o.macs, 0)).toBe(264_192);
    expect(new Set(q.ops.map((o) => o.kind))).toEqual(new Set(['FULLY_CONNECTED', 'RESHAPE']));
    // Hidden layers carry a fused ReLU; the reconstruction layer is linear.
    const fcs = q.ops.filter((o) => o.kind === 'FULLY_CONNECTED') as Array<{ options: { activation: string } }>;
    expect(fcs.map((o) => o.options.activation)).toEqual([...Array(9).fill('RELU'), 'NONE']);
    const out = runGraph(q, [Int8Array.from({ length: 640 }, () => Math.floor(r() * 256) - 128)]).outputs[0]!;
    expect(out.length).toBe(640);
  }, 120_000);

  it('sizes follow the options and the input', () => {
    const m = frameStackAutoencoder([32, 4, 1], 2, { units: 64, depth: 2, latent: 4 });
    const dense = m.layers.filter((l) => l.getClassName() === 'Dense').map((l) => (l.getConfig() as { units: number }).units);
    expect(dense).toEqual([64, 64, 4, 64, 64, 128]);
    expect(m.outputs[0]!.shape).toEqual([null, 32, 4, 1]);
    m.dispose();
  });
});
