import { mkdir, mkdtemp, open, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TinyPdmError } from '../../src/util/errors.js';
import { loadAnyModel } from '../../src/compiler/1-load/load-any.js';
import { MAX_BYTES_ENV } from '../../src/util/limits.js';
import { failRead, readInput } from '../../src/util/read-input.js';

/**
 * How loadAnyModel reads a model file: the memory cap is checked against the
 * file's size before a whole-file read (.tflite, .keras); errors about the
 * name (missing, not a file, no permission, a symlink loop) become
 * FILE_NOT_FOUND, other I/O errors READ_FAILED, all naming the file.
 */
let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'tinypdm-model-read-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A sparse file of `size` bytes starting with `head`: large on paper, nothing on disk. */
async function sparse(name: string, head: number[], size: number): Promise<string> {
  const file = path.join(work, name);
  const fh = await open(file, 'w');
  await fh.write(new Uint8Array(head), 0, head.length, 0);
  await fh.truncate(size);
  await fh.close();
  return file;
}

async function errorOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => expect.unreachable('expected an error'),
    (e: unknown) => e,
  );
}

async function userErrorOf(p: Promise<unknown>): Promise<TinyPdmError> {
  const e = await errorOf(p);
  if (!(e instanceof TinyPdmError)) throw new Error(`expected a TinyPdmError, got ${String(e)}`, { cause: e });
  return e;
}

function withCap<T>(cap: string, run: () => Promise<T>): Promise<T> {
  const old = process.env[MAX_BYTES_ENV];
  process.env[MAX_BYTES_ENV] = cap;
  return run().finally(() => {
    if (old === undefined) delete process.env[MAX_BYTES_ENV];
    else process.env[MAX_BYTES_ENV] = old;
  });
}

const TFL3 = [0x1c, 0, 0, 0, 0x54, 0x46, 0x4c, 0x33];
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const GIB3 = 3 * 1024 ** 3;

describe('model files over the memory cap are refused by their size, unread', () => {
  it('a 3 GiB .tflite (over the default 2 GiB cap) is refused without reading it', async () => {
    const file = await sparse('huge.tflite', TFL3, GIB3);
    const before = process.memoryUsage().arrayBuffers;
    const e = await userErrorOf(loadAnyModel(file));
    expect(e.code).toBe('RESOURCE_LIMIT');
    expect(e.message).toBe(
      `${file}: the .tflite file (its size) needs 3.0 GiB (${GIB3} bytes), over the 2.0 GiB limit (${2 * 1024 ** 3} bytes); use a smaller input, or raise the limit with ${MAX_BYTES_ENV} (e.g. ${MAX_BYTES_ENV}=3G)`,
    );
    // Node cannot even hold 3 GiB in one Buffer: an unchecked readFile would have thrown a RangeError instead.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 ** 2);
  });

  it('a 3 GiB .keras is refused the same way; the cap is the configured one', async () => {
    const file = await sparse('huge.keras', ZIP, GIB3);
    const e = await userErrorOf(loadAnyModel(file));
    expect(e.code).toBe('RESOURCE_LIMIT');
    expect(e.message).toContain(`${file}: the .keras archive (its size) needs 3.0 GiB`);
    const small = await sparse('small.tflite', TFL3, 4096);
    const capped = await withCap('1K', () => userErrorOf(loadAnyModel(small)));
    expect(capped.message).toContain(
      `${small}: the .tflite file (its size) needs 4.0 KiB (4096 bytes), over the 1.0 KiB limit (1024 bytes)`,
    );
    // Under the cap the bytes are read and parsed: a zero-filled body is a corrupt flatbuffer, not a size problem.
    expect((await withCap('8K', () => userErrorOf(loadAnyModel(small)))).code).toBe('CORRUPT_FILE');
  });
});

describe('which read errors are FILE_NOT_FOUND', () => {
  it('a missing file, and a path through a file (ENOTDIR), are FILE_NOT_FOUND naming the path and the reason', async () => {
    const missing = path.join(work, 'nope.tflite');
    const e = await userErrorOf(loadAnyModel(missing));
    expect(e.code).toBe('FILE_NOT_FOUND');
    expect(e.message).toBe(`${missing}: cannot read it, no such file (ENOENT); pass a model.json, .h5, .keras or .tflite`);
    const plain = path.join(work, 'plain.txt');
    await writeFile(plain, 'x');
    const through = path.join(plain, 'model.tflite');
    const e2 = await userErrorOf(loadAnyModel(through));
    expect(e2.code).toBe('FILE_NOT_FOUND');
    expect(e2.message).toBe(
      `${through}: cannot read it, a folder on its path is a file (ENOTDIR); pass a model.json, .h5, .keras or .tflite`,
    );
  });

  it('a directory read as a file is FILE_NOT_FOUND (EISDIR)', async () => {
    const dir = path.join(work, 'adir');
    await mkdir(dir);
    const e = await userErrorOf(readInput(dir, { what: 'the model', fix: 'pass the file' }));
    expect(e.code).toBe('FILE_NOT_FOUND');
    expect(e.message).toBe(`${dir}: cannot read it, a directory, not a file (EISDIR); pass the file`);
  });

  it('a symlink loop is FILE_NOT_FOUND naming it (ELOOP), not an internal error', async () => {
    const loop = path.join(work, 'loop.tflite');
    await symlink(loop, loop);
    const e = await userErrorOf(loadAnyModel(loop));
    expect(e.code).toBe('FILE_NOT_FOUND');
    expect(e.message).toBe(
      `${loop}: cannot read it, too many symbolic links (a symlink loop) (ELOOP); pass a model.json, .h5, .keras or .tflite`,
    );
    expect((e.cause as NodeJS.ErrnoException).code).toBe('ELOOP');
  });

  it.skipIf(process.getuid?.() === 0)(
    'an unreadable file is FILE_NOT_FOUND (EACCES); root reads anything, so this runs as a normal user only',
    async () => {
      const file = path.join(work, 'locked.tflite');
      await writeFile(file, new Uint8Array(TFL3));
      const { chmod } = await import('node:fs/promises');
      await chmod(file, 0);
      const e = await userErrorOf(loadAnyModel(file));
      expect(e.code).toBe('FILE_NOT_FOUND');
      expect(e.message).toContain('(EACCES)');
    },
  );

  it('the mapping itself: EACCES becomes FILE_NOT_FOUND, EIO READ_FAILED; errors without an errno code are rethrown unchanged', () => {
    const errno = (code: string) => Object.assign(new Error(`${code}: something, open 'm.tflite'`), { code });
    expect(() => failRead(errno('EACCES'), 'm.tflite', { fix: 'fix it' })).toThrow(
      new TinyPdmError('FILE_NOT_FOUND', 'm.tflite: cannot read it, permission denied (EACCES); fix it'),
    );
    expect(() => failRead(errno('EIO'), 'm.tflite', { fix: 'fix it' })).toThrow(
      new TinyPdmError(
        'READ_FAILED',
        "m.tflite: cannot read it (EIO: EIO: something, open 'm.tflite'); check the file and the disk, then retry",
      ),
    );
    const plain = new TypeError('bug');
    expect(() => failRead(plain, 'm.tflite', { fix: 'fix it' })).toThrow(plain);
  });
});
