import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/util/atomic.js';

/**
 * The feature cache writes its entries with writeFileAtomic, in a folder a
 * dataset may bring along. A symlink planted at an entry's name must be
 * replaced by the entry, never written through to what it points at.
 */
let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'tinypdm-cache-write-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('writeFileAtomic (cache entries)', () => {
  it('replaces a symlink at the entry name instead of writing through it', async () => {
    const cache = path.join(work, 'cache');
    await mkdir(cache);
    const victim = path.join(work, 'victim.txt');
    await writeFile(victim, 'precious\n');
    const entry = path.join(cache, '0123456789abcdef0123456789abcdef01234567.bin');
    await symlink(victim, entry);
    await writeFileAtomic(entry, 'cached features');
    expect(await readFile(victim, 'utf8')).toBe('precious\n');
    expect((await lstat(entry)).isFile()).toBe(true);
    expect(await readFile(entry, 'utf8')).toBe('cached features');
    expect(await readdir(cache)).toEqual([path.basename(entry)]);
  });

  it('leaves no temp file when the write fails', async () => {
    const cache = path.join(work, 'cache2');
    await mkdir(path.join(cache, 'entry.bin'), { recursive: true }); // a folder where the entry goes: the rename fails
    await expect(writeFileAtomic(path.join(cache, 'entry.bin'), 'x')).rejects.toThrow();
    expect(await readdir(cache)).toEqual(['entry.bin']);
  });
});
