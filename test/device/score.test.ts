import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { deviceAnomalyScore, type DeviceQuant } from '../../src/device/anomaly-score.js';
import { createClipPool, type PoolSpec } from '../../src/device/clip-score.js';
import { deviceWindowScore, type WindowScoreParams } from '../../src/device/window-score.js';
import { compileHost, compileM4, REPO_ROOT, runQemu } from '../helpers/firmware-build.js';
import { mulberry32 } from '../helpers/random.js';

/**
 * The device's scoring (firmware/core/window_score.c, clip_score.c) on the
 * host (gcc) and on an emulated Cortex-M4 (QEMU) gives the TS twins' float32
 * bits for every window, for the diagonal and the low-rank form and for every
 * pooling method.
 */
interface Case {
  params: WindowScoreParams;
  pool: PoolSpec;
  capacity: number;
  inQ: DeviceQuant;
  outQ: DeviceQuant;
  windows: Array<{ input: Int8Array; output: Int8Array }>;
}

function makeCase(seed: number, count: number, rank: number, pool: PoolSpec, capacity: number, windows: number): Case {
  const r = mulberry32(seed);
  const f = (n: number, g: () => number) => Float32Array.from({ length: n }, g);
  const params: WindowScoreParams = {
    count,
    rank,
    mean: f(count, () => (r() - 0.5) * 0.02),
    invStd: f(count, () => 5 + 60 * r()),
    basis: f(rank * count, () => (r() - 0.5) / Math.sqrt(count)),
    coef: f(rank, () => -0.9 * r()),
    invResid: Math.fround(1 + r()),
  };
  const int8 = () => Int8Array.from({ length: count }, () => Math.floor(r() * 256) - 128);
  return {
    params,
    pool,
    capacity,
    inQ: { scale: 1 / 255, zeroPoint: -128 },
    outQ: { scale: Math.fround(0.0042 + 0.001 * r()), zeroPoint: -120 + Math.floor(r() * 20) },
    windows: Array.from({ length: windows }, () => ({ input: int8(), output: int8() })),
  };
}

function twin(c: Case) {
  const pool = createClipPool(c.pool, c.capacity);
  return c.windows.map((w) => {
    const score = deviceWindowScore(c.params, w.input, c.inQ, w.output, c.outQ);
    return { mse: deviceAnomalyScore(w.input, c.inQ, w.output, c.outQ), score, pooled: pool.push(score) };
  });
}

const METHOD = { mean: 0, max: 1, percentile: 2 } as const;

function inputFile(c: Case): Buffer {
  const p = c.params;
  const words: Array<['u' | 'f' | 'i', number]> = [
    ['u', p.count],
    ['u', p.rank],
    ['u', c.windows.length],
    ['u', METHOD[c.pool.method]],
    ['u', c.pool.permille ?? 1000],
    ['u', c.capacity],
    ['f', c.inQ.scale],
    ['i', c.inQ.zeroPoint],
    ['f', c.outQ.scale],
    ['i', c.outQ.zeroPoint],
    ...[...p.mean, ...p.invStd, ...p.basis, ...p.coef, p.invResid].map((v) => ['f', v] as ['f', number]),
  ];
  const head = Buffer.alloc(4 * words.length);
  words.forEach(([kind, v], i) =>
    kind === 'f' ? head.writeFloatLE(v, 4 * i) : kind === 'i' ? head.writeInt32LE(v, 4 * i) : head.writeUInt32LE(v, 4 * i),
  );
  const body = Buffer.concat(c.windows.flatMap((w) => [Buffer.from(w.input.buffer), Buffer.from(w.output.buffer)]));
  return Buffer.concat([head, body]);
}

function bits(x: number): string {
  const b = Buffer.alloc(4);
  b.writeFloatLE(x, 0);
  return b.readUInt32LE(0).toString(16).padStart(8, '0');
}

function parse(stdout: string) {
  return [...stdout.matchAll(/^window=\d+ mse=([0-9a-f]{8}) score=([0-9a-f]{8}) pooled=([0-9a-f]{8})$/gm)].map((m) => ({
    mse: m[1],
    score: m[2],
    pooled: m[3],
  }));
}

const CASES: Array<[string, Case]> = [
  ['diagonal, mean pool', makeCase(1, 640, 0, { method: 'mean' }, 7, 20)],
  ['rank 4, max pool', makeCase(2, 640, 4, { method: 'max' }, 5, 12)],
  ['rank 8, 90th percentile', makeCase(3, 1024, 8, { method: 'percentile', permille: 900 }, 9, 15)],
  ['rank 2, median of a ring that wraps', makeCase(4, 96, 2, { method: 'percentile', permille: 500 }, 4, 11)],
];

const exe: Partial<Record<'host' | 'm4', string>> = {};
const dir = mkdtempSync(path.join(tmpdir(), 'tp-score-'));

beforeAll(async () => {
  const core = path.join(REPO_ROOT, 'firmware/core');
  const harness = path.join(REPO_ROOT, 'firmware/harness');
  const sources = (main: string) => [
    path.join(harness, main),
    path.join(harness, 'score_harness.c'),
    ...['window_score.c', 'clip_score.c', 'anomaly_score.c'].map((f) => path.join(core, f)),
  ];
  exe.host = await compileHost({
    sources: sources('score_host_main.c'),
    includeDirs: [core, harness],
    output: path.join(dir, 'score_host'),
  });
  exe.m4 = await compileM4({ sources: sources('score_m4_main.c'), includeDirs: [core, harness], output: path.join(dir, 'score.elf') });
}, 180_000);

async function runC(target: 'host' | 'm4', c: Case) {
  const runDir = mkdtempSync(path.join(dir, 'run-'));
  writeFileSync(path.join(runDir, 'score_in.bin'), inputFile(c));
  const stdout = target === 'host' ? (await execa(exe.host!, ['score_in.bin'], { cwd: runDir })).stdout : await runQemu(exe.m4!, runDir);
  return parse(stdout);
}

describe('device scoring: C (host gcc, QEMU Cortex-M4) vs the TS twins', () => {
  for (const [name, c] of CASES) {
    for (const target of ['host', 'm4'] as const) {
      it(`${target}: ${name}: MSE, window score and pooled score bits equal the twin's`, async () => {
        const expected = twin(c).map((t) => ({ mse: bits(t.mse), score: bits(t.score), pooled: bits(t.pooled) }));
        expect(await runC(target, c)).toEqual(expected);
      }, 120_000);
    }
  }

  it('the comparison can fail: one changed basis value changes the C score', async () => {
    const c = CASES[1]![1];
    const tampered: Case = { ...c, params: { ...c.params, basis: c.params.basis.slice() } };
    tampered.params.basis[3] = Math.fround(tampered.params.basis[3]! + 0.01);
    const got = await runC('host', tampered);
    expect(got[0]!.score).not.toBe(bits(twin(c)[0]!.score));
  }, 60_000);

  it('pooling differs by method on the same windows (mean < percentile 90 ≤ max)', () => {
    const base = CASES[0]![1];
    const last = (pool: PoolSpec) => twin({ ...base, pool, capacity: base.windows.length }).at(-1)!.pooled;
    const mean = last({ method: 'mean' });
    const p90 = last({ method: 'percentile', permille: 900 });
    const max = last({ method: 'max' });
    expect(mean).toBeLessThan(p90);
    expect(p90).toBeLessThanOrEqual(max);
    expect(last({ method: 'percentile', permille: 1000 })).toBe(max);
  });
});
