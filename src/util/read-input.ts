import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { fail } from './errors.js';
import { checkMemory, formatBytes, maxBytes } from './limits.js';

/**
 * The one way tinypdm reads an input file (a model, a shard, a WAV, a .npy,
 * tinypdm.json, --arch, sketch.yaml, a cache entry). Every input is untrusted:
 *
 * - Regular files only, after resolving symlinks. A device (`/dev/zero`,
 *   `/dev/urandom`) reports size 0 and never ends; a FIFO blocks `open()`
 *   until a writer appears; opening a serial port can reset the board behind
 *   it. So the type is checked with stat() before the file is opened, the file
 *   is opened with O_NONBLOCK | O_NOCTTY (a FIFO swapped in after the check
 *   still cannot block), and the type is checked again with fstat() on the
 *   open descriptor, which is what is then read.
 * - Bounded: a file whose size is over the limit is refused before anything
 *   is allocated, and the bytes actually read are counted against the same
 *   limit, so a file that grows while it is read (or whose size lies, as
 *   /proc files do) stops at the limit instead of filling memory.
 *   The limit is the memory cap (`TINYPDM_MAX_BYTES`) or the call's own
 *   smaller `limit` for a kind of file that is never large (JSON, YAML).
 * - Every failure is one user error naming the file: FILE_NOT_FOUND when the
 *   path is the problem (missing, a folder, not a regular file, a symlink
 *   loop), READ_FAILED for the rest (EIO, EMFILE, ...), RESOURCE_LIMIT over
 *   the limit.
 */
export interface ReadInputOptions {
  /** What the file is, for messages: 'the WAV file', 'the model.json'. */
  what: string;
  /** What the user should do when it cannot be read: 'pass a model.json, .h5, .keras or .tflite'. */
  fix: string;
  /** A per-call limit in bytes below the memory cap, for kinds of files that are never large. */
  limit?: number;
  /** How the file is named in messages when not by its path (e.g. '--arch layers.json'). */
  label?: string;
}

/** JSON and YAML inputs (model.json, tinypdm.json, --arch, sketch.yaml): far below V8's 512 MiB string limit. */
export const TEXT_LIMIT = 64 * 1024 ** 2;

/** Reads into chunks of this size past the size stat() reported (a growing or size-less file). */
const CHUNK = 64 * 1024;
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;

export async function readInput(file: string, o: ReadInputOptions): Promise<Uint8Array> {
  const name = o.label ?? file;
  const limit = limitOf(o);
  checkType(await stat(file).catch((e: unknown) => failRead(e, name, o)), name, o, file);
  const fh = await open(file, OPEN_FLAGS).catch((e: unknown) => failRead(e, name, o));
  try {
    const info = await fh.stat().catch((e: unknown) => failRead(e, name, o));
    checkType(info, name, o, file);
    checkSize(info.size, name, o, limit);
    const reader = new BoundedBuffer(info.size, name, o, limit);
    for (;;) {
      const target = reader.space();
      const { bytesRead } = await fh.read(target, 0, target.length, null).catch((e: unknown) => failRead(e, name, o));
      if (bytesRead === 0) return reader.bytes();
      reader.advance(bytesRead);
    }
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/** The same, synchronously (the WAV reader is synchronous). */
export function readInputSync(file: string, o: ReadInputOptions): Uint8Array {
  const name = o.label ?? file;
  const limit = limitOf(o);
  checkType(
    attempt(() => statSync(file), name, o),
    name,
    o,
    file,
  );
  const fd = attempt(() => openSync(file, OPEN_FLAGS), name, o);
  try {
    const info = attempt(() => fstatSync(fd), name, o);
    checkType(info, name, o, file);
    checkSize(info.size, name, o, limit);
    const reader = new BoundedBuffer(info.size, name, o, limit);
    for (;;) {
      const target = reader.space();
      const bytesRead = attempt(() => readSync(fd, target, 0, target.length, null), name, o);
      if (bytesRead === 0) return reader.bytes();
      reader.advance(bytesRead);
    }
  } finally {
    try {
      closeSync(fd);
    } catch {
      // Closing a descriptor that was only read cannot lose data.
    }
  }
}

/** UTF-8 text (JSON, YAML), under TEXT_LIMIT unless the call says otherwise. */
export async function readInputText(file: string, o: ReadInputOptions): Promise<string> {
  return new TextDecoder().decode(await readInput(file, { limit: TEXT_LIMIT, ...o }));
}

/**
 * At most the first `n` bytes (format detection, or a weights shard that may
 * hold no more than its manifest declares), with the same checks as a whole
 * read; `n` is what the caller can afford, so it is not checked against the cap.
 */
export async function readInputUpTo(file: string, n: number, o: ReadInputOptions): Promise<Uint8Array> {
  const name = o.label ?? file;
  checkType(await stat(file).catch((e: unknown) => failRead(e, name, o)), name, o, file);
  const fh = await open(file, OPEN_FLAGS).catch((e: unknown) => failRead(e, name, o));
  try {
    const info = await fh.stat().catch((e: unknown) => failRead(e, name, o));
    checkType(info, name, o, file);
    const reader = new BoundedBuffer(Math.min(info.size, n), name, o, n, 'stop');
    while (!reader.full()) {
      const target = reader.space();
      const { bytesRead } = await fh.read(target, 0, target.length, null).catch((e: unknown) => failRead(e, name, o));
      if (bytesRead === 0) break;
      reader.advance(bytesRead);
    }
    return reader.bytes();
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/**
 * For a file a native library reads by its path (a font for resvg): the same
 * type and size checks, without reading it. Checked once, before the library
 * opens it; it is named by the user (an environment variable), not by a file.
 */
export function checkInputFileSync(file: string, o: ReadInputOptions): void {
  const name = o.label ?? file;
  const info = attempt(() => statSync(file), name, o);
  checkType(info, name, o, file);
  checkSize(info.size, name, o, limitOf(o));
}

/** True when `e` is the reader's error for a path that does not exist (for optional inputs such as tinypdm.json). */
/** For `.catch`: a missing file becomes undefined, any other failure is rethrown. */
export function undefinedIfMissing(e: unknown): undefined {
  if (isMissingInput(e)) return undefined;
  throw e;
}

export function isMissingInput(e: unknown): boolean {
  const cause = (e as { cause?: NodeJS.ErrnoException } | undefined)?.cause;
  return cause?.code === 'ENOENT' || cause?.code === 'ENOTDIR';
}

function limitOf(o: ReadInputOptions): number {
  return Math.min(maxBytes(), o.limit ?? Infinity);
}

/**
 * The bytes read so far: one buffer of the size fstat() reported, then
 * chunks if the file turns out longer. 'fail': never more than `limit` + 1
 * bytes in all (the extra byte is how "over the limit" is seen, and refused);
 * 'stop': at most `limit` bytes, the rest of the file is not read.
 */
class BoundedBuffer {
  private readonly chunks: Uint8Array[] = [];
  private current: Uint8Array;
  private filled = 0;
  private total = 0;
  private readonly room: number;

  constructor(
    size: number,
    private readonly name: string,
    private readonly o: ReadInputOptions,
    private readonly limit: number,
    private readonly mode: 'fail' | 'stop' = 'fail',
  ) {
    this.room = mode === 'fail' ? limit + 1 : limit;
    // One spare byte beyond the reported size: reading it is how a longer file is noticed.
    this.current = new Uint8Array(Math.min(size + 1, this.room));
  }

  full(): boolean {
    return this.total >= this.room;
  }

  space(): Uint8Array {
    if (this.filled === this.current.length) {
      this.chunks.push(this.current);
      this.current = new Uint8Array(Math.max(1, Math.min(CHUNK, this.room - this.total)));
      this.filled = 0;
    }
    return this.current.subarray(this.filled);
  }

  advance(n: number): void {
    this.filled += n;
    this.total += n;
    if (this.mode === 'fail' && this.total > this.limit) overLimit(this.total, this.name, this.o, this.limit, true);
  }

  bytes(): Uint8Array {
    if (this.chunks.length === 0) return this.current.subarray(0, this.filled);
    const out = new Uint8Array(this.total);
    let at = 0;
    for (const c of [...this.chunks, this.current.subarray(0, this.filled)]) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

function checkSize(size: number, name: string, o: ReadInputOptions, limit: number): void {
  if (size > limit) overLimit(size, name, o, limit, false);
}

function overLimit(bytes: number, name: string, o: ReadInputOptions, limit: number, whileReading: boolean): never {
  const measured = whileReading ? `${o.what} (at least ${bytes} bytes read)` : `${o.what} (its size)`;
  if (o.limit !== undefined && o.limit < maxBytes()) {
    const most = `${formatBytes(limit)} (${limit} bytes)`;
    fail('RESOURCE_LIMIT', `${name}: ${measured} is more than the ${most} such a file can hold; this is not ${o.what}; ${o.fix}`);
  }
  // The memory cap: the same message as every other cap check, with the fix of raising it.
  checkMemory(bytes, `${name}: ${measured}`);
  return fail('RESOURCE_LIMIT', `${name}: ${measured} is over the ${formatBytes(limit)} limit`);
}

/** What a non-regular file is, in words. */
function kindOf(s: Stats): string | undefined {
  if (s.isFile()) return undefined;
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a named pipe (FIFO)';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

function checkType(s: Stats, name: string, o: ReadInputOptions, file: string): void {
  const kind = kindOf(s);
  if (kind === undefined) return;
  if (s.isDirectory()) fail('FILE_NOT_FOUND', `${name}: cannot read it, a directory, not a file (EISDIR); ${o.fix}`);
  const why = `${kind}${viaLink(file)}, not a regular file; tinypdm reads inputs from regular files only`;
  fail('FILE_NOT_FOUND', `${name}: cannot read it, ${why}; ${o.fix}`);
}

/** ' (the path resolves to /dev/zero)' when `file` is or passes through a symlink, so the message shows what it really named. */
function viaLink(file: string): string {
  try {
    const real = realpathSync(file);
    return real !== path.resolve(file) ? ` (the path resolves to ${real})` : '';
  } catch {
    return '';
  }
}

/** Errors about the name: the user named something that is not a readable file. */
const ABOUT_THE_NAME: Record<string, string> = {
  ENOENT: 'no such file',
  ENOTDIR: 'a folder on its path is a file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'a directory, not a file',
  ELOOP: 'too many symbolic links (a symlink loop)',
  ENAMETOOLONG: 'the name is too long',
  ENXIO: 'no device behind it',
};

/** Turns a file-system error into one user error naming the file (the errno error stays as the cause). */
export function failRead(e: unknown, name: string, o: Pick<ReadInputOptions, 'fix'>): never {
  const err = e as NodeJS.ErrnoException | undefined;
  const code = err?.code;
  if (code !== undefined && Object.hasOwn(ABOUT_THE_NAME, code)) {
    fail('FILE_NOT_FOUND', `${name}: cannot read it, ${ABOUT_THE_NAME[code]} (${code}); ${o.fix}`, e);
  }
  if (code !== undefined && typeof code === 'string' && /^E[A-Z0-9]+$/.test(code)) {
    fail('READ_FAILED', `${name}: cannot read it (${code}: ${err!.message.split('\n')[0]}); check the file and the disk, then retry`, e);
  }
  throw e;
}

function attempt<T>(run: () => T, name: string, o: ReadInputOptions): T {
  try {
    return run();
  } catch (e) {
    return failRead(e, name, o);
  }
}
