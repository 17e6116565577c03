import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFrontEndTables } from '../../src/audio/fixed/index.js';
import { detectorParams, runDetector, type DetectorWindow } from '../../src/device/detector.js';
import { deviceAnomalyScore } from '../../src/device/anomaly-score.js';
import { createRunScorer } from '../../src/device/scorer.js';
import { scoreParams } from '../../src/device/error-model.js';
import type { Graph } from '../../src/ir/graph.js';
import { fileIOHandler } from '../../src/compiler/1-load/index.js';
import { emit } from '../../src/compiler/compile.js';
import { ERROR_MODEL_FILE, findRunConfig, frontEndSpecOf, RUN_CONFIG_FILE, type RunConfig } from '../../src/data/run-config.js';
import { readTflite } from '../../src/compiler/index.js';
import { initBackend } from '../../src/learn/backend.js';
import { fitErrorModel, floatWindowErrors } from '../../src/learn/scoring/index.js';
import { readNpy } from '../../src/util/npy.js';
import { compileHost, compileM4, REPO_ROOT, runQemu } from '../helpers/firmware-build.js';
import { conveyorStream, EXAMPLE_RUN, float32Bits } from './helpers.js';

/**
 * A run with `scoring` (rank-3 Mahalanobis window score, 90th-percentile pool
 * over 3 windows): `emit --board` puts the score tables and the scorer into
 * the sketch, and the sketch's portable core on the host and on an emulated
 * Cortex-M4 gives the TS twin's pooled scores bit for bit.
 */
let sketchDir: string;
let graph: Graph;
let run: RunConfig;
let samples: Int16Array;
let expected: DetectorWindow[];
let mse: number[];

beforeAll(async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'tp-scored-'));
  const runDir = path.join(root, 'run');
  await cp(EXAMPLE_RUN, runDir, { recursive: true });
  const base = (await findRunConfig(runDir))!.config;
  await initBackend();
  const model = await tf.loadLayersModel(fileIOHandler(path.join(runDir, 'model.json')));
  const calib = await readNpy(path.join(runDir, base.calibration));
  const n = calib.shape[0]!;
  const size = base.inputShape.reduce((a, b) => a * b, 1);
  const errors = await floatWindowErrors(
    model,
    calib.data,
    Array.from({ length: n }, (_, i) => i),
    base.inputShape,
  );
  model.dispose();
  const errorModel = fitErrorModel(errors, n, size, { rank: 3, seed: 1 });
  await writeFile(path.join(runDir, ERROR_MODEL_FILE), JSON.stringify(errorModel));
  run = {
    ...base,
    scoring: {
      window: 'mahalanobis',
      rank: 3,
      pool: { method: 'percentile', permille: 900 },
      windowsPerClip: 3,
      errorModel: ERROR_MODEL_FILE,
    },
  };
  await writeFile(path.join(runDir, RUN_CONFIG_FILE), JSON.stringify(run));
  const out = path.join(root, 'out');
  await emit({
    model: path.join(runDir, 'model.json'),
    out,
    io: 'int8',
    command: 'tinypdm emit model.json --board nano33ble',
    board: 'nano33ble',
    sketchName: 'scored',
  });
  sketchDir = path.join(out, 'scored');
  graph = readTflite(new Uint8Array(await readFile(path.join(out, 'model.tflite'))), 'model.tflite');
  samples = conveyorStream(run.features.pdmRate);
  const tables = buildFrontEndTables(frontEndSpecOf(run));
  const scorer = createRunScorer({ params: scoreParams(errorModel), pool: { spec: run.scoring!.pool, capacity: 3 } });
  expected = runDetector(samples, tables, graph, run.threshold.value, scorer);
  const io = detectorParams(graph, run.threshold.value);
  mse = expected.map((w) => deviceAnomalyScore(w.input, io.inputQ, w.output, io.outputQ));
}, 300_000);

async function buildAndRun(target: 'host' | 'm4'): Promise<string> {
  const core = path.join(sketchDir, 'src/tinypdm');
  const names = [
    'tp_frontend.c',
    'tp_resample.c',
    'tp_spectrum.c',
    'tp_mel_db.c',
    'tp_window.c',
    'ring_buffer.c',
    'anomaly_score.c',
    'detector.c',
    'scorer.c',
    'window_score.c',
    'clip_score.c',
  ];
  const dir = mkdtempSync(path.join(tmpdir(), `tp-scored-${target}-`));
  const job = {
    sources: [path.join(REPO_ROOT, 'firmware/harness/scored_detector_harness.c'), ...names.map((f) => path.join(core, f))],
    includeDirs: [sketchDir, core],
    output: path.join(dir, target === 'host' ? 'scored' : 'scored.elf'),
    ...(target === 'm4' ? { defines: ['TP_SCORED_HARNESS_M4'] } : {}),
  };
  const exe = target === 'host' ? await compileHost(job) : await compileM4(job);
  const outputs = expected.map((w) => w.output);
  const b = Buffer.alloc(8 + 2 * samples.length + outputs.length * (outputs[0]?.length ?? 0));
  b.writeInt32LE(samples.length, 0);
  b.writeInt32LE(outputs.length, 4);
  for (let i = 0; i < samples.length; i++) b.writeInt16LE(samples[i]!, 8 + 2 * i);
  outputs.forEach((o, w) => Buffer.from(o.buffer, o.byteOffset, o.length).copy(b, 8 + 2 * samples.length + w * o.length));
  writeFileSync(path.join(dir, 'det_in.bin'), b);
  return target === 'host' ? (await execa(exe, ['det_in.bin'], { cwd: dir })).stdout : runQemu(exe, dir);
}

describe('scored detector: run scoring in the sketch, C (host gcc, QEMU Cortex-M4) vs the TS twin', () => {
  it('the sketch carries the score tables, the scorer and the setup call; the twin scores differ from the MSE', async () => {
    expect(existsSync(path.join(sketchDir, 'tinypdm_score.h'))).toBe(true);
    expect(existsSync(path.join(sketchDir, 'src/tinypdm/scorer.c'))).toBe(true);
    expect(await readFile(path.join(sketchDir, 'scored.ino'), 'utf8')).toContain(
      'tp_detector_set_scorer(&detector, tp_run_score, &tp_scorer);',
    );
    expect(expected.length).toBeGreaterThanOrEqual(4);
    expect(expected.map((w) => w.score)).not.toEqual(mse);
  });

  it('the scored .ino passes g++ -fsyntax-only against the TFLM API stubs', async () => {
    const stubs = path.join(REPO_ROOT, 'test/sketch/stubs');
    const r = await execa(
      'g++',
      [
        '-std=gnu++14',
        '-fsyntax-only',
        '-Wall',
        '-Wextra',
        '-Werror',
        '-x',
        'c++',
        `-I${path.join(stubs, 'common')}`,
        `-I${path.join(stubs, 'new-api')}`,
        `-I${sketchDir}`,
        path.join(sketchDir, 'scored.ino'),
      ],
      { reject: false },
    );
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
  });

  for (const target of ['host', 'm4'] as const) {
    it(`${target}: every pooled score's bits and anomaly flag equal the twin's`, async () => {
      const stdout = await buildAndRun(target);
      const got = [...stdout.matchAll(/^window=(\d+) score=([0-9a-f]{8}) anomaly=(\d) failed=(\d)$/gm)].map((m) => [
        Number(m[1]),
        m[2],
        m[3] === '1',
        m[4] === '1',
      ]);
      expect(got).toEqual(expected.map((w) => [w.window, float32Bits(w.score).toString(16).padStart(8, '0'), w.anomaly, false]));
    }, 180_000);
  }
});
