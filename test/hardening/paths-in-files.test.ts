import { cp, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TinyPdmError } from '../../src/util/errors.js';
import { loadAnyModel } from '../../src/compiler/1-load/load-any.js';
import { loadModel } from '../../src/compiler/1-load/loaders/index.js';
import { emit } from '../../src/compiler/compile.js';
import { calibrationPathOf, findRunConfig, parseRunConfig } from '../../src/data/run-config.js';
import { writeKerasFixtures } from '../fixtures/keras/write.js';
import { runCli } from '../helpers/cli.js';
import { writeTinyModel } from './tiny-model.js';

/**
 * Paths written inside files (issue 13, part 3): a TF.js weightsManifest,
 * tinypdm.json's calibration and split, and HDF5's external storage may not
 * make tinypdm read a file outside the model's (or run's) folder, and no
 * error may tell the size of a file the manifest named.
 */
let work: string;
let base: { model: string; calib: string };
let shardName: string;
/** Bytes a hostile model wants to exfiltrate: a file beside the model's folder, not in it. */
let secret: string;
const EXAMPLE_RUN = path.resolve(import.meta.dirname, '../../arduino/example-run');

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'tinypdm-paths-'));
  base = await writeTinyModel(path.join(work, 'base'), { seed: 1, samples: 4 });
  const json = JSON.parse(await readFile(base.model, 'utf8'));
  shardName = json.weightsManifest[0].paths[0];
  secret = path.join(work, 'secret.bin');
  // Exactly the size of the model's weights, so only the path check stands between it and the output.
  await writeFile(
    secret,
    (await readFile(path.join(work, 'base', shardName))).map((b) => b ^ 0x5a),
  );
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

let n = 0;
/** A copy of the tiny model whose weightsManifest paths are `paths`; `prepare` may add files to its folder. */
async function modelWithPaths(paths: unknown[], prepare?: (dir: string) => Promise<void>): Promise<string> {
  const dir = path.join(work, `m${n++}`);
  await cp(path.join(work, 'base'), dir, { recursive: true });
  const file = path.join(dir, 'model.json');
  const json = JSON.parse(await readFile(file, 'utf8'));
  json.weightsManifest[0].paths = paths;
  await writeFile(file, JSON.stringify(json));
  await prepare?.(dir);
  return file;
}

async function userErrorOf(p: Promise<unknown>): Promise<TinyPdmError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (e instanceof TinyPdmError) return e;
  throw new Error(`expected a TinyPdmError, got ${String(e)}`, { cause: e });
}

describe('TF.js weightsManifest paths stay inside the model folder', () => {
  it.each([
    ['a parent path', () => path.relative(path.join(work, 'mX'), secret).replace('mX', ''), 'leaves the folder'],
    ['../../ deep', () => `../../../../../../..${secret}`, 'leaves the folder'],
    ['an absolute path', () => secret, 'is an absolute path'],
    ['a device', () => '/dev/zero', 'is an absolute path'],
    ['a NUL byte', () => `${shardName}\0.txt`, 'contains a NUL byte'],
    ['not a string', () => 7, 'is not a file name'],
    ['empty', () => '', 'is not a file name'],
    ['the folder itself', () => '.', 'leaves the folder'],
  ])('%s is PATH_OUTSIDE naming the path', async (_, rel, why) => {
    const file = await modelWithPaths([rel()]);
    const e = await userErrorOf(loadModel(file));
    expect(e.code).toBe('PATH_OUTSIDE');
    expect(e.message).toContain(`${file}: weightsManifest path ${JSON.stringify(rel())} ${why}`);
  });

  it('a symlink inside the folder that leads out of it (to a file, or to /dev/zero) is refused; one that stays inside is followed', async () => {
    for (const target of [secret, '/dev/zero', work]) {
      const file = await modelWithPaths(['w.bin'], (dir) => symlink(target, path.join(dir, 'w.bin')));
      const e = await userErrorOf(loadModel(file));
      expect(e.code).toBe('PATH_OUTSIDE');
      expect(e.message).toContain(`weightsManifest path "w.bin" is a symlink to ${target}, outside the folder`);
    }
    // A folder symlinked out of the model's folder is caught the same way.
    const viaDir = await modelWithPaths(['sub/secret.bin'], (dir) => symlink(work, path.join(dir, 'sub')));
    expect((await userErrorOf(loadModel(viaDir))).code).toBe('PATH_OUTSIDE');
    // Inside: a subfolder and a symlink to the real shard both load the same graph.
    const expected = (await loadModel(base.model)).graph;
    const inSub = await modelWithPaths([`shards/${shardName}`], async (dir) => {
      await mkdir(path.join(dir, 'shards'));
      await cp(path.join(dir, shardName), path.join(dir, 'shards', shardName));
    });
    expect((await loadModel(inSub)).graph).toEqual(expected);
    const linked = await modelWithPaths(['alias.bin'], (dir) => symlink(shardName, path.join(dir, 'alias.bin')));
    expect((await loadModel(linked)).graph).toEqual(expected);
  });

  it('a FIFO listed as a shard is refused at once, naming it', async () => {
    const file = await modelWithPaths(['pipe.bin'], (dir) => execa('mkfifo', [path.join(dir, 'pipe.bin')]).then(() => undefined));
    const e = await userErrorOf(loadModel(file));
    expect(e.code).toBe('FILE_NOT_FOUND');
    expect(e.message).toContain(`${path.join(path.dirname(file), 'pipe.bin')}: cannot read it, a named pipe (FIFO), not a regular file`);
  });

  it("a size mismatch tells the manifest's size, never the size of the file it named", async () => {
    // A file inside the folder that is not the shard (the model sits in a home folder, say): larger, then smaller.
    for (const size of [100_003, 7]) {
      const file = await modelWithPaths(['notes.txt'], (dir) => writeFile(path.join(dir, 'notes.txt'), new Uint8Array(size)));
      const e = await userErrorOf(loadModel(file));
      expect(e.code).toBe('CORRUPT_FILE');
      expect(e.message).toMatch(/weights shard\(s\) notes\.txt hold (more|fewer) bytes than the \d+ bytes the weightsManifest describes/);
      expect(e.message.slice(file.length)).not.toMatch(new RegExp(`\\b${size}\\b`));
    }
  });

  it('through the CLI: emit exits 1 with one line naming the path, and writes nothing', async () => {
    const file = await modelWithPaths([secret]);
    const out = path.join(work, 'cli-out');
    const r = await runCli(['emit', file, '--calib', base.calib, '--out', out]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      `tinypdm: error [PATH_OUTSIDE]: ${file}: weightsManifest path ${JSON.stringify(secret)} is an absolute path; paths inside the file must be relative to its folder ${path.dirname(file)}; keep the weight shards in the folder of the model.json, named by plain relative paths, and re-export the model if they are not`,
    ]);
    expect(await readdir(work)).not.toContain('cli-out');
  });
});

describe("tinypdm.json's calibration and split stay inside their folders", () => {
  async function runWith(edit: (c: Record<string, unknown>) => void, prepare?: (dir: string) => Promise<void>): Promise<string> {
    const dir = path.join(work, `run${n++}`);
    await cp(EXAMPLE_RUN, dir, { recursive: true });
    const file = path.join(dir, 'tinypdm.json');
    const c = JSON.parse(await readFile(file, 'utf8'));
    edit(c);
    await writeFile(file, JSON.stringify(c));
    await prepare?.(dir);
    return dir;
  }

  it.each([
    ['/dev/zero', 'is an absolute path'],
    ['../secret.bin', 'leaves the folder'],
    ['calib.npy\0', 'contains a NUL byte'],
    [42, 'is not a file name'],
  ])('"calibration": %j is PATH_OUTSIDE when the run config is read', async (value, why) => {
    const dir = await runWith((c) => (c['calibration'] = value));
    const e = await userErrorOf(findRunConfig(path.join(dir, 'model.json')));
    expect(e.code).toBe('PATH_OUTSIDE');
    expect(e.message).toContain(`${path.join(dir, 'tinypdm.json')}: "calibration" ${JSON.stringify(value)} ${why}`);
  });

  it('a calibration symlinked out of the run folder (to /dev/zero or another file) is refused before it is read; emit exits with PATH_OUTSIDE', async () => {
    for (const target of ['/dev/zero', secret]) {
      const dir = await runWith(
        (c) => (c['calibration'] = 'link.npy'),
        (d) => symlink(target, path.join(d, 'link.npy')),
      );
      const found = (await findRunConfig(path.join(dir, 'model.json')))!;
      const e = await userErrorOf(calibrationPathOf(found));
      expect(e.code).toBe('PATH_OUTSIDE');
      expect(e.message).toContain(`"calibration" "link.npy" is a symlink to ${target}, outside the folder ${dir}`);
      const viaEmit = await userErrorOf(
        emit({ model: path.join(dir, 'model.json'), out: path.join(work, 'never'), io: 'int8', command: 'emit' }),
      );
      expect(viaEmit.code).toBe('PATH_OUTSIDE');
    }
  });

  it('split entries must be plain clip paths relative to the dataset', async () => {
    const text = await readFile(path.join(EXAMPLE_RUN, 'tinypdm.json'), 'utf8');
    for (const [entry, why] of [
      ['../../etc/passwd', "has an empty, '.' or '..' segment"],
      ['/etc/passwd', 'is not a relative path with forward slashes'],
      ['normal\\..\\..\\x.wav', 'is not a relative path with forward slashes'],
      ['normal//x.wav', "has an empty, '.' or '..' segment"],
      [null, 'is not a file name'],
    ] as const) {
      const c = JSON.parse(text);
      c.split.test[3] = entry;
      const e = (() => {
        try {
          parseRunConfig(JSON.stringify(c), 'run/tinypdm.json');
        } catch (x) {
          return x as TinyPdmError;
        }
        throw new Error(`accepted ${entry}`);
      })();
      expect(e.code).toBe('PATH_OUTSIDE');
      expect(e.message).toContain(`run/tinypdm.json: split.test[3] ${JSON.stringify(entry)} ${why}`);
    }
    const noSplit = JSON.parse(text);
    delete noSplit.split;
    expect(() => parseRunConfig(JSON.stringify(noSplit), 'run/tinypdm.json')).toThrow(/split\.train is missing or not a list of clips/);
    expect(parseRunConfig(text, 'run/tinypdm.json').split.test.length).toBe(12);
  });
});

describe('HDF5 external storage', () => {
  it("a Keras .h5 whose kernel is stored in an external file is refused naming that file; the file's bytes are never read into weights", async () => {
    const dir = path.join(work, 'h5');
    await mkdir(dir);
    const files = await writeKerasFixtures(path.join(work, 'base'), dir, { 'model.h5': { format: 'h5' } });
    const h5 = files['model.h5']!;
    expect((await loadAnyModel(h5)).graph.ops.length).toBeGreaterThan(0);
    // Re-store the first conv's kernel as an external dataset pointing at the secret (h5py's external=).
    await execa('/usr/bin/python3', [
      '-c',
      `import sys, h5py
with h5py.File(sys.argv[1], 'a') as f:
    name = [k for k in f['model_weights/enc/enc'].keys() if k.startswith('kernel')][0]
    path = 'model_weights/enc/enc/' + name
    shape, dtype = f[path].shape, f[path].dtype
    del f[path]
    n = 4
    for d in shape: n *= d
    f.create_dataset(path, shape=shape, dtype=dtype, external=[(sys.argv[2], 0, n)])`,
      h5,
      secret,
    ]);
    const e = await userErrorOf(loadAnyModel(h5));
    expect(e.code).toBe('CORRUPT_FILE');
    expect(e.message).toMatch(
      new RegExp(
        `^${h5.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot read 'model_weights/enc/enc/kernel[^']*' \\(its values are stored in another file, "${secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"; tinypdm reads only the model file itself\\)`,
      ),
    );
  });
});
