import { chmod, open, rename, rm, writeFile } from 'node:fs/promises';
import { fail } from '../errors.js';
import { recoverLeftovers, tempName } from '../atomic.js';
import { checkKind, makeParents, refuseInputs, resolveDestination, type Destination, type OutputInput } from './destination.js';
import { asUserError } from './io-errors.js';

export interface OutputFileOptions {
  /** `--out` as the user gave it. */
  dest: string;
  /** The command's inputs: the destination may not be one of them (compared by device and inode). */
  inputs?: ReadonlyArray<OutputInput | undefined>;
  /** An existing file is replaced only if it is of the kind the command writes, judged from its first bytes. */
  replaces: { what: string; test: (head: Uint8Array) => boolean };
  signal?: AbortSignal;
}

/**
 * The checks of `writeOutputFile`, for a command to run before its work: a
 * file (not a folder), not an input, and if it exists, of the kind it writes.
 */
export async function checkOutputFile(o: OutputFileOptions): Promise<Destination> {
  const dest = await resolveDestination(o.dest);
  await refuseInputs(dest, o.inputs?.filter((i) => i !== undefined) ?? []);
  await checkKind(dest, 'file');
  if (dest.type === 'file') {
    const head = await asUserError(o.dest, () => readHead(dest.real));
    o.replaces.test(head) ||
      fail(
        'OUTPUT_NOT_OURS',
        `--out ${o.dest} exists and is not ${o.replaces.what}; tinypdm overwrites only a file of the kind it writes: ` +
          'choose another --out, or remove it yourself',
      );
  }
  return dest;
}

/**
 * One output file, written to a temp name beside it and renamed, so the
 * previous file stays whole until the new one is complete. A symlink is
 * written through to its target; a replaced file keeps its mode.
 */
export async function writeOutputFile(o: OutputFileOptions, data: Uint8Array | string): Promise<void> {
  o.signal?.throwIfAborted();
  const dest = await checkOutputFile(o);
  const unmake = await makeParents(dest);
  const tmp = tempName(dest.real);
  try {
    await asUserError(o.dest, async () => {
      await recoverLeftovers(dest.real);
      await writeFile(tmp, data, { flag: 'wx', mode: 0o666 });
      if (dest.mode !== undefined) await chmod(tmp, dest.mode);
      o.signal?.throwIfAborted();
      await rename(tmp, dest.real);
    });
  } catch (e) {
    await rm(tmp, { force: true });
    await unmake();
    throw e;
  }
}

async function readHead(file: string): Promise<Uint8Array> {
  const fh = await open(file, 'r');
  try {
    const buf = new Uint8Array(512);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
