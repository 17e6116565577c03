/**
 * Wall time of `emit` for the paper autoencoder (64×48×1) and the reference
 * interpreter's int8 inference time, on this machine.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { emit } from '../src/index.js';
import { runGraph } from '../src/runtime/index.js';
import { encodeNpy } from '../src/util/npy.js';
import { buildFixture, FIXTURES, representativeInputs } from '../test/fixtures/models.js';
import { readFile } from 'node:fs/promises';
import { readTflite } from '../src/compiler/index.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchEmit(): Promise<Record<string, unknown>> {
  const work = await mkdtemp(path.join(tmpdir(), 'tinypdm-bench-'));
  try {
    const fixture = FIXTURES.find((f) => f.name === 'paper')!;
    const { dir } = await buildFixture(fixture, work);
    const calibInputs = representativeInputs(fixture.inputShape, 16, 3);
    const flat = new Float32Array(calibInputs.length * calibInputs[0]!.length);
    calibInputs.forEach((x, i) => flat.set(x, i * x.length));
    const calib = path.join(work, 'calib.npy');
    await writeFile(calib, encodeNpy([calibInputs.length, ...fixture.inputShape], flat));
    const model = path.join(dir, 'model.json');

    const inProcess: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await emit({ model, out: path.join(work, `out${i}`), calib, io: 'int8', command: 'bench' });
      inProcess.push(performance.now() - t0);
    }
    const cli: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await execa(process.execPath, [path.resolve('bin/tinypdm.js'), 'emit', model, '--calib', calib, '--out', path.join(work, `cli${i}`)]);
      cli.push(performance.now() - t0);
    }
    const graph = readTflite(new Uint8Array(await readFile(path.join(work, 'out0', 'model.tflite'))), 'model.tflite');
    const x = new Int8Array(64 * 48).map((_, i) => ((i * 37) % 256) - 128);
    runGraph(graph, [x]);
    const infer: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      runGraph(graph, [x]);
      infer.push(performance.now() - t0);
    }
    return {
      model: 'paper autoencoder, input 64x48x1, 16 calibration inputs',
      emitInProcessMs: Math.round(median(inProcess)),
      emitCliWallMs: Math.round(median(cli)),
      referenceInterpreterInt8MsPerInference: Math.round(median(infer)),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
