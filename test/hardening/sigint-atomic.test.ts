import { mkdir, mkdtemp, readdir, readFile, readlink, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { train } from '../../src/learn/train.js';
import { writeOutputFolder } from '../../src/util/output/index.js';
import { runCli } from '../helpers/cli.js';
import { writeTinyModel } from './tiny-model.js';
import { synthesizeDataset } from '../../src/data/index.js';

/**
 * Outputs under an interrupt and under a second writer, through the real CLI.
 * SIGINT to any command that writes, while a write into its temp output is in
 * flight, exits 130 and leaves the previous output byte-identical with no temp
 * folder, temp file or lock beside it. Two processes writing the same --out:
 * one wins, the other exits 1. What a killed process left is put right by the
 * next run.
 */
const BIN = path.resolve(import.meta.dirname, '../../bin/tinypdm.js');
const GATED_WRITES = path.resolve(import.meta.dirname, 'preload/gated-writes.mjs');
const ANNOUNCE_READS = path.resolve(import.meta.dirname, 'preload/announce-reads.mjs');
const SIGNAL_AT_SWAP = path.resolve(import.meta.dirname, 'preload/signal-at-swap.mjs');
/** Tiny features and one epoch: train and eval in seconds. */
const SMALL = [
  '--rate',
  '3000',
  '--n-mels',
  '8',
  '--frames',
  '8',
  '--window-hop',
  '4',
  '--n-fft',
  '256',
  '--hop',
  '64',
  '--epochs',
  '1',
  '--batch-size',
  '16',
];

let work: string;
type Model = { model: string; calib: string };
let previous: Model;
let other: Model;
let slow: Model;
let data: string;
let run: string;
let cache: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'tinypdm-sigint-'));
  previous = await writeTinyModel(path.join(work, 'm1'), { seed: 1, samples: 4 });
  // Different weights, so an output it left behind would differ from the previous one.
  other = await writeTinyModel(path.join(work, 'm2'), { seed: 2, samples: 4 });
  // A calibration set large enough that emit is still calibrating when interrupted.
  slow = await writeTinyModel(path.join(work, 'm3'), { seed: 3, samples: 2000, size: [64, 48] });
  data = path.join(work, 'data');
  cache = path.join(work, 'cache');
  run = path.join(work, 'run');
  await synthesizeDataset({ outDir: data, seed: 3, normal: 5, anomaliesPerType: 1, durationSec: 2, difficulty: 0.3 });
  await train({
    data,
    rate: 3000,
    out: run,
    nMels: 8,
    frames: 8,
    windowHop: 4,
    nFft: 256,
    hop: 64,
    epochs: 1,
    batchSize: 16,
    cacheDir: cache,
  });
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Every file and folder under `p` (or `p` itself, a file): contents, modes and link targets. */
async function snapshot(p: string, rel = ''): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const full = path.join(p, rel);
  const s = await stat(full);
  if (s.isFile()) return out.set(rel, `${(s.mode & 0o7777).toString(8)} ${(await readFile(full)).toString('base64')}`);
  out.set(rel, `dir ${(s.mode & 0o7777).toString(8)}`);
  for (const e of (await readdir(full, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const child = path.join(rel, e.name);
    if (e.isSymbolicLink()) out.set(child, `link ${await readlink(path.join(p, child))}`);
    else for (const [k, v] of await snapshot(p, child)) out.set(k, v);
  }
  return out;
}

/** Resolves once `check` is true, polling (no timing assertions: only the order of events matters). */
async function until(check: () => Promise<boolean> | boolean, child: Promise<unknown>): Promise<void> {
  let exited = false;
  void child.finally(() => (exited = true)).catch(() => undefined);
  while (!(await check())) {
    if (exited) throw new Error('the command exited before the state the test waits for');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * The CLI with its writes into `out`'s temp output held (preload/gated-writes.mjs)
 * until `open()`: `writing()` resolves once such a write is in flight, `saw(signal)`
 * once the CLI has seen a signal.
 */
function gated(args: string[], out: string) {
  const gate = path.join(work, `gate-${Math.random().toString(36).slice(2)}`);
  const temp = path.join(path.dirname(out), `.tmp-${path.basename(out)}-`);
  const child = execa(process.execPath, ['--import', GATED_WRITES, BIN, ...args], {
    reject: false,
    env: { TINYPDM_TEST_WRITE_GATE: gate, TINYPDM_TEST_WRITE_MATCH: temp },
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return {
    child,
    writing: () => until(() => stderr.includes(`test: writing ${temp}`), child),
    saw: (signal: string) => until(() => stderr.includes(`test: got ${signal}`), child),
    open: () => writeFile(gate, ''),
  };
}

const leftoversIn = async (dir: string) => (await readdir(dir)).filter((f) => f.startsWith('.tmp-'));

/** Processes whose command line mentions `needle` (Linux /proc). */
async function processesMentioning(needle: string): Promise<number[]> {
  const pids = (await readdir('/proc')).filter((f) => /^\d+$/.test(f));
  const hits = await Promise.all(
    pids.map(async (pid) => ((await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).includes(needle) ? [Number(pid)] : [])),
  );
  return hits.flat();
}

describe('SIGINT during every command that writes, while a write into its temp output is in flight', () => {
  const cases: Array<{ name: string; out: string; args: (out: string) => string[] }> = [
    {
      name: 'synth',
      out: 'o-synth',
      args: (out) => ['synth', '--out', out, '--normal', '4', '--anomalies-per-type', '1', '--duration', '1'],
    },
    { name: 'train', out: 'o-train', args: (out) => ['train', '--data', data, '--out', out, '--cache', cache, ...SMALL] },
    { name: 'eval', out: 'o-eval', args: (out) => ['eval', '--run', run, '--data', data, '--out', out, '--cache', cache] },
    { name: 'emit', out: 'o-emit', args: (out) => ['emit', path.join(run, 'model.json'), '--out', out] },
    {
      name: 'features',
      out: 'o-features.npy',
      args: (out) => [
        'features',
        path.join(data, 'normal'),
        '--out',
        out,
        '--rate',
        '3000',
        '--n-fft',
        '256',
        '--hop',
        '64',
        '--n-mels',
        '8',
      ],
    },
    { name: 'ci', out: 'o-ci.yml', args: (out) => ['ci', '--out', out] },
  ];
  for (const c of cases) {
    it(`${c.name}: exit 130, nothing left beside the output, the previous output intact`, async () => {
      const parent = path.join(work, `sig-${c.name}`);
      await mkdir(parent);
      const out = path.join(parent, c.out);
      const first = await runCli(c.args(out));
      expect(first.exitCode, first.stderr).toBe(0);
      const before = await snapshot(out);
      const g = gated(c.args(out), out);
      await g.writing();
      g.child.kill('SIGINT');
      // The write completes after the CLI has seen the signal, as a write in flight would.
      await g.saw('SIGINT');
      await g.open();
      const r = await g.child;
      expect(r.exitCode, String(r.stderr)).toBe(130);
      expect(String(r.stderr)).toContain('tinypdm: interrupted by SIGINT');
      expect(await leftoversIn(parent)).toEqual([]);
      expect(await snapshot(out)).toEqual(before);
    });
  }

  it('sweep: its running worker is ended too, nothing is left, the previous sweep intact', async () => {
    const parent = path.join(work, 'sig-sweep');
    await mkdir(parent);
    const out = path.join(parent, 'o-sweep');
    const args = [
      'sweep',
      '--data',
      data,
      '--rates',
      '375',
      '--rounds',
      '1',
      '--epochs',
      '1',
      '--jobs',
      '1',
      '--cache',
      cache,
      '--out',
      out,
    ];
    const first = await runCli(args);
    expect(first.exitCode, first.stderr).toBe(0);
    const before = await snapshot(out);
    const child = execa(process.execPath, [BIN, ...args], { reject: false });
    // The worker's run folder appears inside the sweep's temp folder: a worker is running.
    let temp: string | undefined;
    await until(async () => {
      temp = (await leftoversIn(parent)).find((f) => /^\.tmp-o-sweep-\d+-\w{6}$/.test(f));
      return temp !== undefined && (await readdir(path.join(parent, temp)).catch(() => [] as string[])).includes('runs');
    }, child);
    expect(await processesMentioning(path.join(parent, temp!))).not.toEqual([]);
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode, String(r.stderr)).toBe(130);
    expect(await leftoversIn(parent)).toEqual([]);
    expect(await processesMentioning(path.join(parent, temp!))).toEqual([]);
    expect(await snapshot(out)).toEqual(before);
  });
});

describe('SIGINT during tinypdm emit', () => {
  async function emitPrevious(out: string): Promise<Map<string, string>> {
    expect((await runCli(['emit', previous.model, '--calib', previous.calib, '--out', out])).exitCode).toBe(0);
    return snapshot(out);
  }

  it('while calibrating (before any output exists): the process stops, nothing is written, previous output intact', async () => {
    const out = path.join(work, 'out-b');
    const before = await emitPrevious(out);
    const child = execa(process.execPath, ['--import', ANNOUNCE_READS, BIN, 'emit', slow.model, '--calib', slow.calib, '--out', out], {
      reject: false,
    });
    // Calibration starts right after the .npy has been read: interrupt then.
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    await until(() => stderr.includes('test: read calib.npy'), child);
    child.kill('SIGINT');
    const r = await child;
    // Calibration is synchronous: the handler runs when it ends, and emit stops at its next stage.
    expect(r.exitCode, String(r.stderr)).toBe(130);
    expect(await leftoversIn(work)).toEqual([]);
    expect(await snapshot(out)).toEqual(before);
  });

  it('a second SIGINT exits at once, before the cleanup; the next run removes what that left', async () => {
    const out = path.join(work, 'out-e');
    const before = await emitPrevious(out);
    const g = gated(['emit', other.model, '--calib', other.calib, '--out', out], out);
    await g.writing();
    g.child.kill('SIGINT');
    await g.saw('SIGINT');
    // The first aborted the work, which waits on its write; the second does not wait.
    g.child.kill('SIGINT');
    const r = await g.child;
    expect(r.exitCode).toBe(130);
    expect((await leftoversIn(work)).filter((f) => f.startsWith('.tmp-out-e'))).toHaveLength(2); // its temp folder and lock
    expect(await snapshot(out)).toEqual(before);
    const next = await runCli(['emit', previous.model, '--calib', previous.calib, '--out', out]);
    expect(next.exitCode, next.stderr).toBe(0);
    expect((await leftoversIn(work)).filter((f) => f.startsWith('.tmp-out-e'))).toEqual([]);
    expect(await snapshot(out)).toEqual(before);
  });
});

describe('a signal between the two renames of the swap (previous output moved aside, new one not yet in place)', () => {
  /** What a clean `emit` of the other model writes, in a folder of the same name. */
  async function reference(name: string): Promise<Map<string, string>> {
    const out = path.join(work, `ref-${name}`, name);
    expect((await runCli(['emit', other.model, '--calib', other.calib, '--out', out])).exitCode).toBe(0);
    return snapshot(out);
  }

  const emitAtSwap = (out: string, signal: string) =>
    execa(process.execPath, ['--import', SIGNAL_AT_SWAP, BIN, 'emit', other.model, '--calib', other.calib, '--out', out], {
      reject: false,
      env: { TINYPDM_TEST_SWAP_SIGNAL: signal },
    });

  it('SIGINT: handled only after the swap: exit 130, the new output complete, nothing left beside it', async () => {
    const out = path.join(work, 'out-c');
    expect((await runCli(['emit', previous.model, '--calib', previous.calib, '--out', out])).exitCode).toBe(0);
    const r = await emitAtSwap(out, 'SIGINT');
    expect(String(r.stderr)).toContain('test: moved aside, sending SIGINT');
    expect(r.exitCode, String(r.stderr)).toBe(130);
    expect(await leftoversIn(work)).toEqual([]);
    expect(await snapshot(out)).toEqual(await reference('out-c'));
  });

  it('SIGKILL (as a power loss would): the previous output is left aside with the lock; the next run puts things right', async () => {
    const out = path.join(work, 'out-d');
    expect((await runCli(['emit', previous.model, '--calib', previous.calib, '--out', out])).exitCode).toBe(0);
    const before = await snapshot(out);
    const child = emitAtSwap(out, 'SIGKILL');
    const r = await child;
    expect(r.signal).toBe('SIGKILL');
    // Left behind: the complete new output in its temp folder, the previous output moved aside, and the dead run's lock.
    const left = (await leftoversIn(work)).sort();
    expect(left).toHaveLength(3);
    expect(left[0]).toMatch(new RegExp(`^\\.tmp-out-d-${child.pid}-\\w{6}$`));
    expect(left[1]).toBe(`${left[0]}.old`);
    expect(left[2]).toBe('.tmp-out-d.lock');
    expect(await readFile(path.join(work, left[2]!), 'utf8')).toMatch(new RegExp(`^${child.pid} `));
    expect(await readdir(work)).not.toContain('out-d');
    expect(await snapshot(path.join(work, left[1]!))).toEqual(before);

    const next = await runCli(['emit', other.model, '--calib', other.calib, '--out', out]);
    expect(next.exitCode, next.stderr).toBe(0);
    expect(await leftoversIn(work)).toEqual([]);
    expect(await snapshot(out)).toEqual(await reference('out-d'));
  });
});

describe('two processes writing the same --out', () => {
  it('the second exits 1 with OUTPUT_LOCKED while the first writes; the first completes; nothing is left beside it', async () => {
    const parent = path.join(work, 'race');
    const out = path.join(parent, 'out');
    const first = gated(['emit', other.model, '--calib', other.calib, '--out', out], out);
    const a = first.child;
    // The first holds the lock while its write into its temp folder is held.
    await first.writing();
    const b = await runCli(['emit', previous.model, '--calib', previous.calib, '--out', out]);
    expect(b.exitCode).toBe(1);
    expect(b.stderr.trim().split('\n')).toHaveLength(1);
    expect(b.stderr).toMatch(
      new RegExp(`^tinypdm: error \\[OUTPUT_LOCKED\\]: --out .*out is being written by another tinypdm \\(pid ${a.pid}\\)`),
    );
    await first.open();
    const ra = await a;
    expect(ra.exitCode, String(ra.stderr)).toBe(0);
    expect(await readdir(parent)).toEqual(['out']);
    const ref = path.join(work, 'race-ref', 'out');
    expect((await runCli(['emit', other.model, '--calib', other.calib, '--out', ref])).exitCode).toBe(0);
    expect(await snapshot(out)).toEqual(await snapshot(ref));
  });

  it("a dead process's lock is stale: the next run takes it", async () => {
    const parent = path.join(work, 'stale');
    await mkdir(parent);
    const dead = execa(process.execPath, ['-e', '']);
    await dead;
    await writeFile(path.join(parent, '.tmp-out.lock'), `${dead.pid} 0123456789abcdef\n`);
    const r = await runCli(['emit', other.model, '--calib', other.calib, '--out', path.join(parent, 'out')]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await readdir(parent)).toEqual(['out']);
  });
});

describe('writeOutputFolder recovers what a dead process left behind', () => {
  /** The pid of a process that has exited (a fresh one, so the number is not reused yet). */
  async function deadPid(): Promise<number> {
    const child = execa(process.execPath, ['-e', '']);
    await child;
    return child.pid!;
  }

  /** A folder as writeOutputFolder leaves it (with its marker), moved to `dir`. */
  async function outputAt(dir: string, content: string): Promise<void> {
    const made = path.join(path.dirname(dir), `made-${path.basename(dir)}`);
    await writeOutputFolder({ dest: made, command: 'test' }, (tmp) => writeFile(path.join(tmp, 'file.txt'), content));
    await rename(made, dir);
  }

  const contentOf = (dir: string) => readFile(path.join(dir, 'file.txt'), 'utf8');

  it('puts the previous output back when the destination is missing, even if this run then fails', async () => {
    const parent = path.join(work, 'recover-a');
    await mkdir(parent);
    const dead = await deadPid();
    await outputAt(path.join(parent, `.tmp-out-${dead}-AbC123.old`), 'previous');
    await outputAt(path.join(parent, `.tmp-out-${dead}-XyZ789`), 'half-written');
    const failed = await writeOutputFolder({ dest: path.join(parent, 'out'), command: 'test' }, async () => {
      throw new Error('this run fails too');
    }).catch((e: Error) => e.message);
    expect(failed).toBe('this run fails too');
    expect(await readdir(parent)).toEqual(['out']);
    expect(await contentOf(path.join(parent, 'out'))).toBe('previous');
  });

  it("removes a dead process's leftovers when the swap had finished, and leaves a live process's alone", async () => {
    const parent = path.join(work, 'recover-b');
    await mkdir(parent);
    const dead = await deadPid();
    await outputAt(path.join(parent, 'out'), 'current');
    await outputAt(path.join(parent, `.tmp-out-${dead}-AbC123.old`), 'older');
    await outputAt(path.join(parent, `.tmp-out-${dead}-XyZ789`), 'half-written');
    // The test runner's parent process is alive: its temp folder may be a run in progress.
    const live = `.tmp-out-${process.ppid}-LiVe12`;
    await outputAt(path.join(parent, live), 'in progress');
    // Same prefix, another destination: not ours to touch.
    await outputAt(path.join(parent, `.tmp-out-2-${dead}-AbC123.old`), 'another output');
    await writeOutputFolder({ dest: path.join(parent, 'out'), command: 'test' }, (tmp) => writeFile(path.join(tmp, 'file.txt'), 'new'));
    expect((await readdir(parent)).sort()).toEqual([`.tmp-out-2-${dead}-AbC123.old`, live, 'out'].sort());
    expect(await contentOf(path.join(parent, 'out'))).toBe('new');
    expect(await contentOf(path.join(parent, live))).toBe('in progress');
  });
});
