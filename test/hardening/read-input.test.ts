import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TinyPdmError } from '../../src/util/errors.js';
import { MAX_BYTES_ENV } from '../../src/util/limits.js';
import { checkInputFileSync, readInput, readInputSync, readInputText, readInputUpTo, TEXT_LIMIT } from '../../src/util/read-input.js';

/**
 * The bounded reader (src/util/read-input.ts) on its own: what it accepts,
 * what it refuses and with which message, and that it stops at the limit
 * whatever the file's size claims.
 */
let work: string;
let fifo: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'tinypdm-read-input-'));
  fifo = path.join(work, 'pipe.bin');
  await execa('mkfifo', [fifo]);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const O = { what: 'the test file', fix: 'pass a regular file' };

async function userErrorOf(p: Promise<unknown>): Promise<TinyPdmError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (e instanceof TinyPdmError) return e;
  throw new Error(`expected a TinyPdmError, got ${String(e)}`, { cause: e });
}

function syncErrorOf(run: () => unknown): TinyPdmError {
  try {
    run();
  } catch (e) {
    if (e instanceof TinyPdmError) return e;
    throw e;
  }
  throw new Error('expected a TinyPdmError');
}

async function withCap<T>(cap: string, run: () => Promise<T>): Promise<T> {
  const old = process.env[MAX_BYTES_ENV];
  process.env[MAX_BYTES_ENV] = cap;
  try {
    return await run();
  } finally {
    if (old === undefined) delete process.env[MAX_BYTES_ENV];
    else process.env[MAX_BYTES_ENV] = old;
  }
}

describe('readInput accepts regular files, through symlinks', () => {
  it('reads a file, an empty file and a symlink to a file, byte for byte, async and sync', async () => {
    const file = path.join(work, 'data.bin');
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7) & 0xff);
    await writeFile(file, bytes);
    const link = path.join(work, 'data-link.bin');
    await symlink(file, link);
    const empty = path.join(work, 'empty.bin');
    await writeFile(empty, '');
    for (const p of [file, link]) {
      expect(await readInput(p, O)).toEqual(bytes);
      expect(readInputSync(p, O)).toEqual(bytes);
    }
    expect((await readInput(empty, O)).length).toBe(0);
    expect(await readInputUpTo(file, 10, O)).toEqual(bytes.subarray(0, 10));
    await writeFile(path.join(work, 'x.json'), '{"a": "é"}');
    expect(await readInputText(path.join(work, 'x.json'), O)).toBe('{"a": "é"}');
  });
});

describe('readInput refuses what is not a regular file, by name, without reading it', () => {
  const devices = [
    ['/dev/zero', 'a character device'],
    ['/dev/urandom', 'a character device'],
    ['/dev/null', 'a character device'],
  ] as const;

  it.each(devices)('%s, and a symlink to it, is FILE_NOT_FOUND: not a regular file', async (device, kind) => {
    const link = path.join(work, `link-${path.basename(device)}.wav`);
    await symlink(device, link);
    for (const p of [device, link]) {
      const e = await userErrorOf(readInput(p, O));
      expect(e.code).toBe('FILE_NOT_FOUND');
      const via = p === link ? ` (the path resolves to ${device})` : '';
      expect(e.message).toBe(
        `${p}: cannot read it, ${kind}${via}, not a regular file; tinypdm reads inputs from regular files only; pass a regular file`,
      );
      expect(syncErrorOf(() => readInputSync(p, O)).message).toBe(e.message);
      expect((await userErrorOf(readInputUpTo(p, 16, O))).message).toBe(e.message);
    }
  });

  it('a FIFO with no writer is refused at once (no hang), directly and through a symlink', async () => {
    const link = path.join(work, 'pipe-link.npy');
    await symlink(fifo, link);
    for (const p of [fifo, link]) {
      const e = await userErrorOf(readInput(p, O));
      expect(e.code).toBe('FILE_NOT_FOUND');
      expect(e.message).toContain(`${p}: cannot read it, a named pipe (FIFO)`);
      expect(syncErrorOf(() => readInputSync(p, O)).code).toBe('FILE_NOT_FOUND');
    }
  });

  it('a directory is FILE_NOT_FOUND (EISDIR); a missing file names the path', async () => {
    const dir = path.join(work, 'adir');
    await mkdir(dir);
    expect((await userErrorOf(readInput(dir, O))).message).toBe(
      `${dir}: cannot read it, a directory, not a file (EISDIR); pass a regular file`,
    );
    const missing = path.join(work, 'nope.bin');
    expect((await userErrorOf(readInput(missing, O))).message).toBe(
      `${missing}: cannot read it, no such file (ENOENT); pass a regular file`,
    );
    expect((await userErrorOf(readInput(missing, { ...O, label: '--arch nope.bin' }))).message).toMatch(
      /^--arch nope\.bin: cannot read it/,
    );
  });

  it('checkInputFileSync (for files a native library opens) refuses the same', () => {
    expect(syncErrorOf(() => checkInputFileSync('/dev/zero', O)).code).toBe('FILE_NOT_FOUND');
    expect(syncErrorOf(() => checkInputFileSync(fifo, O)).code).toBe('FILE_NOT_FOUND');
  });
});

describe('readInput counts the bytes it reads', () => {
  it('a file over the cap is refused by its size before it is read', async () => {
    const file = path.join(work, 'big.bin');
    await writeFile(file, new Uint8Array(5000));
    const e = await withCap('4K', () => userErrorOf(readInput(file, O)));
    expect(e.code).toBe('RESOURCE_LIMIT');
    expect(e.message).toBe(
      `${file}: the test file (its size) needs 4.9 KiB (5000 bytes), over the 4.0 KiB limit (4096 bytes); use a smaller input, or raise the limit with ${MAX_BYTES_ENV} (e.g. ${MAX_BYTES_ENV}=1G)`,
    );
  });

  it('a file whose size says 0 but that holds more (a /proc file) stops at the cap, counted from the bytes read', async () => {
    // /proc/self/maps is a regular file with st_size 0 whose text is several KiB: exactly the case of a size that lies.
    const e = await withCap('512', () => userErrorOf(readInput('/proc/self/maps', O)));
    expect(e.code).toBe('RESOURCE_LIMIT');
    expect(e.message).toMatch(
      /^\/proc\/self\/maps: the test file \(at least 513 bytes read\) needs 513 B \(513 bytes\), over the 512 B limit/,
    );
    const sync = syncErrorOf(() => {
      process.env[MAX_BYTES_ENV] = '512';
      try {
        readInputSync('/proc/self/maps', O);
      } finally {
        delete process.env[MAX_BYTES_ENV];
      }
    });
    expect(sync.code).toBe('RESOURCE_LIMIT');
    // Under the cap it is read whole, past the size stat() reported.
    expect((await readInput('/proc/self/maps', O)).length).toBeGreaterThan(512);
  });

  it('a per-call limit refuses with its own message; text inputs default to TEXT_LIMIT', async () => {
    const file = path.join(work, 'layers.json');
    await writeFile(file, '[' + '0,'.repeat(600) + '0]');
    const e = await userErrorOf(readInput(file, { ...O, limit: 1000 }));
    expect(e.code).toBe('RESOURCE_LIMIT');
    expect(e.message).toBe(
      `${file}: the test file (its size) is more than the 1000 B (1000 bytes) such a file can hold; this is not the test file; pass a regular file`,
    );
    expect(TEXT_LIMIT).toBe(64 * 1024 ** 2);
  });

  it('readInputUpTo reads at most n bytes of a longer file', async () => {
    const file = path.join(work, 'long.bin');
    await writeFile(file, new Uint8Array(300_000).fill(7));
    const head = await readInputUpTo(file, 200_001, O);
    expect(head.length).toBe(200_001);
    expect(head.every((b) => b === 7)).toBe(true);
  });
});
