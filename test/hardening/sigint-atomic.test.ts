import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeAtomically } from '../../src/util/atomic.js';
import { runCli } from '../helpers/cli.js';
import { writeTinyModel } from './tiny-model.js';

/**
 * Atomic outputs under an interrupt, through the real CLI: SIGINT to a running
 * `tinypdm emit` leaves the previous output folder byte-identical and no temp
 * directory or partial output beside it.
 */
const BIN = path.resolve(import.meta.dirname, '../../bin/tinypdm.js');
const SLOW_WRITES = path.resolve(import.meta.dirname, 'preload/slow-writes.mjs');
const ANNOUNCE_READS = path.resolve(import.meta.dirname, 'preload/announce-reads.mjs');
const SIGNAL_AT_SWAP = path.resolve(import.meta.dirname, 'preload/signal-at-swap.mjs');

let work: string;
type Model = { model: string; calib: string };
let previous: Model;
let other: Model;
let slow: Model;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'tinypdm-sigint-'));
  previous = await writeTinyModel(path.join(work, 'm1'), { seed: 1, samples: 4 });
  // Different weights, so an output it left behind would differ from the previous one.
  other = await writeTinyModel(path.join(work, 'm2'), { seed: 2, samples: 4 });
  // A calibration set large enough that emit is still calibrating when interrupted.
  slow = await writeTinyModel(path.join(work, 'm3'), { seed: 3, samples: 2000, size: [64, 48] });
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function snapshot(dir: string): Promise<Map<string, Buffer>> {
  const files = (await readdir(dir)).sort();
  return new Map(await Promise.all(files.map(async (f) => [f, await readFile(path.join(dir, f))] as const)));
}

/** Resolves once `check` is true, polling the file system (no timing assertions: only the order of events matters). */
async function until(check: () => Promise<boolean>, child: Promise<unknown>): Promise<void> {
  let exited = false;
  void child.finally(() => (exited = true)).catch(() => undefined);
  while (!(await check())) {
    if (exited) throw new Error('emit exited before the state the test waits for');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function emitPrevious(out: string): Promise<Map<string, Buffer>> {
  expect((await runCli(['emit', previous.model, '--calib', previous.calib, '--out', out])).exitCode).toBe(0);
  return snapshot(out);
}

const tempDirsIn = async (dir: string) => (await readdir(dir)).filter((f) => f.startsWith('.tmp-'));

describe('SIGINT during tinypdm emit', () => {
  it('while the temp directory is being written: exit 130, temp removed, previous output intact', async () => {
    const out = path.join(work, 'out-a');
    const before = await emitPrevious(out);
    // slow-writes delays every file write, so the temp directory stays half-written long enough to interrupt.
    const child = execa(process.execPath, ['--import', SLOW_WRITES, BIN, 'emit', other.model, '--calib', other.calib, '--out', out], {
      reject: false,
      env: { TINYPDM_TEST_WRITE_DELAY_MS: '400' },
    });
    await until(async () => (await tempDirsIn(work)).some((f) => f.startsWith('.tmp-out-a-')), child);
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode, String(r.stderr)).toBe(130);
    expect(await tempDirsIn(work)).toEqual([]);
    expect(await snapshot(out)).toEqual(before);
  });

  it('while calibrating (before any output exists): the process stops, nothing is written, previous output intact', async () => {
    const out = path.join(work, 'out-b');
    const before = await emitPrevious(out);
    const child = execa(process.execPath, ['--import', ANNOUNCE_READS, BIN, 'emit', slow.model, '--calib', slow.calib, '--out', out], { reject: false });
    // Calibration starts right after the .npy has been read: interrupt then.
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    await until(async () => stderr.includes('test: read calib.npy'), child);
    child.kill('SIGINT');
    const r = await child;
    // Calibration is synchronous, so Node's default SIGINT action ends the process (no handler is installed yet:
    // writeAtomically installs one only while its temp directory exists).
    expect(r.signal === 'SIGINT' || r.exitCode === 130, `exit ${r.exitCode} signal ${r.signal}: ${r.stderr}`).toBe(true);
    expect(await tempDirsIn(work)).toEqual([]);
    expect(await snapshot(out)).toEqual(before);
  });
});

describe('a signal between the two renames of the swap (previous output moved aside, new one not yet in place)', () => {
  /** What a clean `emit` of the other model writes, in a folder of the same name. */
  async function reference(name: string): Promise<Map<string, Buffer>> {
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
    await emitPrevious(out);
    const r = await emitAtSwap(out, 'SIGINT');
    expect(String(r.stderr)).toContain('test: moved aside, sending SIGINT');
    expect(r.exitCode, String(r.stderr)).toBe(130);
    expect(await tempDirsIn(work)).toEqual([]);
    expect(await snapshot(out)).toEqual(await reference('out-c'));
  });

  it('SIGKILL (as a power loss would): the previous output is left aside; the next run puts things right', async () => {
    const out = path.join(work, 'out-d');
    const before = await emitPrevious(out);
    const child = emitAtSwap(out, 'SIGKILL');
    const r = await child;
    expect(r.signal).toBe('SIGKILL');
    // Left behind: the complete new output in its temp folder, and the previous output moved aside.
    const left = (await tempDirsIn(work)).sort();
    expect(left).toHaveLength(2);
    expect(left[0]).toMatch(new RegExp(`^\\.tmp-out-d-${child.pid}-\\w{6}$`));
    expect(left[1]).toBe(`${left[0]}.old`);
    expect(await readdir(work)).not.toContain('out-d');
    expect(await snapshot(path.join(work, left[1]!))).toEqual(before);

    const next = await runCli(['emit', other.model, '--calib', other.calib, '--out', out]);
    expect(next.exitCode, next.stderr).toBe(0);
    expect(await tempDirsIn(work)).toEqual([]);
    expect(await snapshot(out)).toEqual(await reference('out-d'));
  });
});

describe('writeAtomically recovers what a dead process left behind', () => {
  /** The pid of a process that has exited (a fresh one, so the number is not reused yet). */
  async function deadPid(): Promise<number> {
    const child = execa(process.execPath, ['-e', '']);
    await child;
    return child.pid!;
  }

  async function dirWith(dir: string, content: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'file.txt'), content);
  }

  const contentOf = (dir: string) => readFile(path.join(dir, 'file.txt'), 'utf8');

  it('puts the previous output back when the destination is missing, even if this run then fails', async () => {
    const parent = path.join(work, 'recover-a');
    const dead = await deadPid();
    await dirWith(path.join(parent, `.tmp-out-${dead}-AbC123.old`), 'previous');
    await dirWith(path.join(parent, `.tmp-out-${dead}-XyZ789`), 'half-written');
    const failed = await writeAtomically(path.join(parent, 'out'), async () => {
      throw new Error('this run fails too');
    }).catch((e: Error) => e.message);
    expect(failed).toBe('this run fails too');
    expect(await readdir(parent)).toEqual(['out']);
    expect(await contentOf(path.join(parent, 'out'))).toBe('previous');
  });

  it("removes a dead process's leftovers when the swap had finished, and leaves a live process's alone", async () => {
    const parent = path.join(work, 'recover-b');
    const dead = await deadPid();
    await dirWith(path.join(parent, 'out'), 'current');
    await dirWith(path.join(parent, `.tmp-out-${dead}-AbC123.old`), 'older');
    await dirWith(path.join(parent, `.tmp-out-${dead}-XyZ789`), 'half-written');
    // The test runner's parent process is alive: its temp folder may be a run in progress.
    const live = `.tmp-out-${process.ppid}-LiVe12`;
    await dirWith(path.join(parent, live), 'in progress');
    // Same prefix, another destination: not ours to touch.
    await dirWith(path.join(parent, `.tmp-out-2-${dead}-AbC123.old`), 'another output');
    await writeAtomically(path.join(parent, 'out'), async (tmp) => writeFile(path.join(tmp, 'file.txt'), 'new'));
    expect((await readdir(parent)).sort()).toEqual([`.tmp-out-2-${dead}-AbC123.old`, live, 'out'].sort());
    expect(await contentOf(path.join(parent, 'out'))).toBe('new');
    expect(await contentOf(path.join(parent, live))).toBe('in progress');
  });
});
