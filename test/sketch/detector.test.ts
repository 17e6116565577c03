import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFrontEndTables } from '../../src/audio/fixed/index.js';
import { runDetector, type DetectorWindow } from '../../src/device/detector.js';
import type { Graph } from '../../src/ir/graph.js';
import { emit } from '../../src/index.js';
import { findRunConfig, frontEndSpecOf, type RunConfig } from '../../src/data/run-config.js';
import { buildDetectorHarness, conveyorStream, EXAMPLE_RUN, float32Bits } from './helpers.js';
import { readTflite } from '../../src/compiler/index.js';

/**
 * Issue 4 §5: the sketch's portable core (front-end, ring, detector, score,
 * with the sketch's own generated headers) on the host and on an emulated
 * Cortex-M4 gives the TS pipeline's window scores bit for bit. The model call
 * is served with the int8 outputs of tinypdm's reference interpreter for the
 * twin's windows; if the C windows differed, the scores would too.
 *
 * Issue 16: the same firmware with the sketch's compiled model instead of the
 * recorded outputs, so one image on QEMU runs the whole window path (int16
 * audio → resampling → Mel front-end → the C model → score → threshold) and
 * must still give the TS pipeline's scores bit for bit; it also reports the
 * instructions of each stage (the bench turns them into per-second figures).
 */
let sketchDir: string;
let graph: Graph;
let run: RunConfig;
let samples: Int16Array;
let expected: DetectorWindow[];

beforeAll(async () => {
  const out = path.join(await mkdtemp(path.join(tmpdir(), 'tp-sketch-det-')), 'out');
  await emit({
    model: path.join(EXAMPLE_RUN, 'model.json'),
    out,
    io: 'int8',
    command: 'tinypdm emit model.json --board nano33ble',
    board: 'nano33ble',
    sketchName: 'det_sketch',
  });
  sketchDir = path.join(out, 'det_sketch');
  graph = readTflite(new Uint8Array(await readFile(path.join(out, 'model.tflite'))), 'model.tflite');
  run = (await findRunConfig(path.join(EXAMPLE_RUN, 'model.json')))!.config;
  samples = conveyorStream(run.features.pdmRate);
  expected = runDetector(samples, buildFrontEndTables(frontEndSpecOf(run)), graph, run.threshold.value);
}, 300_000);

describe('detector: C (host gcc, QEMU Cortex-M4) vs the TS twin', () => {
  it('the TS twin sees the windows the stream holds, with finite float32 scores', () => {
    // Frames the stream gives at the run's rate and hop (librosa centring), then whole windows; a device never
    // flushes the end of a stream, so the last window may be missing.
    const f = run.features;
    const frames = 1 + Math.floor(Math.ceil((samples.length * f.sampleRate) / f.pdmRate) / f.hop);
    const windows = Math.floor((frames - f.windowFrames) / f.windowHop) + 1;
    expect(windows).toBeGreaterThanOrEqual(4);
    expect(expected.length).toBeGreaterThanOrEqual(windows - 1);
    expect(expected.length).toBeLessThanOrEqual(windows);
    expect(expected.every((w) => Number.isFinite(w.score) && w.score > 0 && Math.fround(w.score) === w.score)).toBe(true);
  });

  for (const target of ['host', 'm4'] as const) {
    it(`${target}: every window's score bits and anomaly flag equal the twin's`, async () => {
      const harness = await buildDetectorHarness(sketchDir, target);
      const r = await harness.run(
        samples,
        expected.map((w) => w.output),
      );
      expect(r.summary).toEqual({
        windows: expected.length,
        anomalies: expected.filter((w) => w.anomaly).length,
        dropped: 0,
        unusedOutputs: 0,
      });
      expect(r.windows.map((w) => [w.window, w.scoreBits.toString(16).padStart(8, '0'), w.anomaly, w.failed])).toEqual(
        expected.map((w) => [w.window, float32Bits(w.score).toString(16).padStart(8, '0'), w.anomaly, false]),
      );
    });
  }

  for (const target of ['host', 'm4'] as const) {
    it(`${target}: the whole window path with the compiled model gives the twin's score bits and flags`, async () => {
      const harness = await buildDetectorHarness(sketchDir, target, { cModel: true });
      const r = await harness.run(samples, []);
      expect(r.summary).toEqual({
        windows: expected.length,
        anomalies: expected.filter((w) => w.anomaly).length,
        dropped: 0,
        unusedOutputs: 0,
      });
      expect(r.windows.map((w) => [w.window, w.scoreBits.toString(16).padStart(8, '0'), w.anomaly, w.failed])).toEqual(
        expected.map((w) => [w.window, float32Bits(w.score).toString(16).padStart(8, '0'), w.anomaly, false]),
      );
      expect(r.stages.map((s) => s.window)).toEqual(expected.map((w) => w.window));
      if (target === 'm4') {
        // Every stage was counted, and the parts stay within the whole.
        const i = r.instructions;
        expect(i.samples).toBe(samples.length);
        expect(Math.min(i.frontend, i.resampling, i.model, i.score)).toBeGreaterThan(0);
        expect(i.resampling).toBeLessThan(i.frontend);
        expect(i.frontend + i.model + i.score).toBeLessThanOrEqual(i.total);
        expect(r.stages.every((s) => s.model > 0)).toBe(true);
      }
    });
  }

  it('a different model output changes the C score (the comparison can fail)', async () => {
    const harness = await buildDetectorHarness(sketchDir, 'host');
    const tampered = expected.map((w) => w.output.slice());
    tampered[1]![5] = tampered[1]![5]! === 127 ? 126 : tampered[1]![5]! + 1;
    const r = await harness.run(samples, tampered);
    expect(r.windows[0]!.scoreBits).toBe(float32Bits(expected[0]!.score));
    expect(r.windows[1]!.scoreBits).not.toBe(float32Bits(expected[1]!.score));
  });
});
