import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
async function until(check: () => Promise<boolean>, child: ResultPromise): Promise<void> {
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
