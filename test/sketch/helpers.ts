import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { toInt16 } from '../../src/audio/wav.js';
import { planDataset, renderClip } from '../../src/data/synth/index.js';
import { compileHost, compileM4, REPO_ROOT, runQemu } from '../helpers/firmware-build.js';
import { execa } from 'execa';

export const EXAMPLE_RUN = path.join(REPO_ROOT, 'arduino/example-run');

/** A few seconds of synthetic conveyor sound at the PDM rate: one normal clip, then faulty ones. */
export function conveyorStream(pdmRate: number, seed = 21): Int16Array {
  const manifest = planDataset({
    seed,
    normal: 1,
    anomaliesPerType: 1,
    durationSec: 2,
    sampleRate: pdmRate,
    difficulty: 0.1,
    types: ['damaged-roller', 'dry-bearing'],
  });
  const clips = manifest.clips.map((c) => toInt16(renderClip(manifest.seed, c)));
  const out = new Int16Array(clips.reduce((s, c) => s + c.length, 0));
  let at = 0;
  for (const c of clips) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export interface HarnessWindow {
  window: number;
  scoreBits: number;
  anomaly: boolean;
  failed: boolean;
}

export interface DetectorHarnessRun {
  windows: HarnessWindow[];
  summary: { windows: number; anomalies: number; dropped: number; unusedOutputs: number };
  /** Clock units per stage over the whole stream (instructions on the M4; 0 on the host). */
  instructions: { samples: number; total: number; frontend: number; resampling: number; model: number; score: number };
  /** Per window: the front-end's share since the previous window, and the model call (with the C model). */
  stages: Array<{ window: number; frontend: number; model: number }>;
}

/** float32 bits of a float32-valued number, as the C prints them. */
export function float32Bits(x: number): number {
  const b = new DataView(new ArrayBuffer(4));
  b.setFloat32(0, x, true);
  return b.getUint32(0, true);
}

function inputFile(samples: Int16Array, outputs: Int8Array[]): Buffer {
  const n = outputs[0]?.length ?? 0;
  const b = Buffer.alloc(8 + 2 * samples.length + outputs.length * n);
  b.writeInt32LE(samples.length, 0);
  b.writeInt32LE(outputs.length, 4);
  for (let i = 0; i < samples.length; i++) b.writeInt16LE(samples[i]!, 8 + 2 * i);
  outputs.forEach((o, w) => Buffer.from(o.buffer, o.byteOffset, o.length).copy(b, 8 + 2 * samples.length + w * n));
  return b;
}

function parse(stdout: string): DetectorHarnessRun {
  const windows = [...stdout.matchAll(/^window=(\d+) score=([0-9a-f]{8}) anomaly=(\d) failed=(\d)$/gm)].map((m) => ({
    window: Number(m[1]),
    scoreBits: parseInt(m[2]!, 16),
    anomaly: m[3] === '1',
    failed: m[4] === '1',
  }));
  const s = /windows=(\d+) anomalies=(\d+) dropped=(\d+) unused_outputs=(\d+)/.exec(stdout);
  if (!s) throw new Error(`detector harness printed no summary: ${stdout.slice(0, 500)}`);
  if (/^error:/m.test(stdout)) throw new Error(`detector harness reported an error: ${stdout.slice(0, 500)}`);
  const i = /instructions samples=(\d+) total=(\d+) frontend=(\d+) resampling=(\d+) model=(\d+) score=(\d+)/.exec(stdout)!;
  const stages = [...stdout.matchAll(/^stages window=(\d+) frontend=(\d+) model=(\d+)$/gm)].map((m) => ({
    window: Number(m[1]),
    frontend: Number(m[2]),
    model: Number(m[3]),
  }));
  return {
    windows,
    summary: { windows: Number(s[1]), anomalies: Number(s[2]), dropped: Number(s[3]), unusedOutputs: Number(s[4]) },
    instructions: {
      samples: Number(i[1]),
      total: Number(i[2]),
      frontend: Number(i[3]),
      resampling: Number(i[4]),
      model: Number(i[5]),
      score: Number(i[6]),
    },
    stages,
  };
}

/**
 * Sources of a sketch's portable core plus the harness, compiled with the
 * sketch's own generated headers; with `cModel`, also the sketch's compiled
 * model (src/tinypdm/tinypdm_model.c), which then serves the model calls.
 */
function harnessJob(sketchDir: string, main: string, output: string, cModel: boolean, cflags: string[]) {
  const core = path.join(sketchDir, 'src/tinypdm');
  const coreSources = [
    'tp_frontend.c',
    'tp_resample.c',
    'tp_spectrum.c',
    'tp_mel_db.c',
    'tp_window.c',
    'ring_buffer.c',
    'anomaly_score.c',
    'detector.c',
  ];
  const harness = path.join(REPO_ROOT, 'firmware/harness');
  return {
    sources: [
      path.join(harness, main),
      path.join(harness, 'detector_harness.c'),
      ...coreSources.map((f) => path.join(core, f)),
      ...(cModel ? [path.join(core, 'tinypdm_model.c')] : []),
    ],
    includeDirs: [sketchDir, core, harness],
    output,
    ...(cModel ? { defines: ['TP_HARNESS_C_MODEL'] } : {}),
    cflags,
  };
}

/** Builds the detector harness for a generated sketch, on the host (gcc) or the Cortex-M4 (QEMU). */
export async function buildDetectorHarness(sketchDir: string, target: 'host' | 'm4', opts: { cModel?: boolean; cflags?: string[] } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), `tp-det-${target}-`));
  const exe = path.join(dir, target === 'host' ? 'det_host' : 'app.elf');
  const job = harnessJob(
    sketchDir,
    target === 'host' ? 'detector_host_main.c' : 'detector_m4_main.c',
    exe,
    !!opts.cModel,
    opts.cflags ?? [],
  );
  if (target === 'host') await compileHost(job);
  else await compileM4(job);
  return {
    async run(samples: Int16Array, outputs: Int8Array[]): Promise<DetectorHarnessRun> {
      const runDir = mkdtempSync(path.join(dir, 'run-'));
      writeFileSync(path.join(runDir, 'det_in.bin'), inputFile(samples, outputs));
      const stdout = target === 'host' ? (await execa(exe, ['det_in.bin'], { cwd: runDir })).stdout : await runQemu(exe, runDir);
      return parse(stdout);
    },
  };
}
