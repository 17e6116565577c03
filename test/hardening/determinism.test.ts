import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { homedir, tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { writeTinyModel } from './tiny-model.js';

/**
 * Determinism of `tinypdm emit` through the real CLI, beyond the paper-model
 * case in test/pipeline/emit-verify.test.ts: three runs that differ in working
 * directory, relative vs absolute paths, output depth, TZ and locale
 * (LC_ALL/LANG) give byte-identical files, and no file holds a timestamp or an
 * absolute path of the machine that made it.
 */
let work: string;
let tiny: { model: string; calib: string };

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'tinypdm-determinism-'));
  tiny = await writeTinyModel(path.join(work, 'models', 'tiny'), { seed: 9, samples: 6 });
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function files(dir: string): Promise<Map<string, Buffer>> {
  const names = (await readdir(dir)).sort();
  return new Map(await Promise.all(names.map(async (f) => [f, await readFile(path.join(dir, f))] as const)));
}

describe('emit determinism', () => {
  it('byte-identical across repeated runs, working directories, TZ and locale; no timestamps or absolute paths', async () => {
    const elsewhere = path.join(work, 'elsewhere', 'deeper');
    await mkdir(elsewhere, { recursive: true });
    const runs = [
      {
        cwd: work,
        args: [path.relative(work, tiny.model), '--calib', path.relative(work, tiny.calib), '--out', 'out-1'],
        env: { TZ: 'UTC', LC_ALL: 'C', LANG: 'C' },
      },
      {
        cwd: elsewhere,
        args: [tiny.model, '--calib', tiny.calib, '--out', path.join(work, 'nested', 'out-2')],
        env: { TZ: 'Pacific/Chatham', LC_ALL: 'de_DE.UTF-8', LANG: 'tr_TR.UTF-8' },
      },
      {
        cwd: work,
        args: [path.relative(work, tiny.model), '--calib', path.relative(work, tiny.calib), '--out', 'out-3'],
        env: { TZ: 'America/St_Johns', LC_ALL: 'ar_EG.UTF-8', LANG: 'ja_JP.UTF-8' },
      },
    ];
    const outs = [path.join(work, 'out-1'), path.join(work, 'nested', 'out-2'), path.join(work, 'out-3')];
    for (const r of runs) {
      const res = await runCli(['emit', ...r.args], { cwd: r.cwd, env: r.env });
      expect(res.exitCode, res.stderr).toBe(0);
    }
    const [a, b, c] = await Promise.all(outs.map(files));
    // The output marker too: it lists the files and their hashes, with no timestamp.
    expect([...a!.keys()]).toEqual([
      '.tinypdm-output.json',
      'model.tflite',
      'model_data.cpp',
      'model_data.h',
      'model_float.tflite',
      'report.json',
      'report.md',
    ]);
    for (const other of [b!, c!]) {
      expect([...other.keys()]).toEqual([...a!.keys()]);
      for (const [name, bytes] of a!) expect(Buffer.compare(bytes, other.get(name)!), name).toBe(0);
    }

    const leaks = [work, tmpdir(), homedir(), process.cwd(), userInfo().username].filter((s) => s.length > 2);
    for (const [name, bytes] of a!) {
      const text = bytes.toString('latin1');
      for (const leak of leaks) expect(text.includes(leak), `${name} contains ${leak}`).toBe(false);
      expect(text, `${name} holds a date`).not.toMatch(/\b(19|20)\d\d-[01]\d-[0-3]\d\b/);
      expect(text, `${name} holds a time of day`).not.toMatch(/\b[0-2]\d:[0-5]\d:[0-5]\d\b/);
      expect(text, `${name} holds a Unix epoch in ms of this decade`).not.toMatch(/\b1[7-9]\d{11}\b/);
    }
  });
});
