import { chmod, lstat, mkdir, rm } from 'node:fs/promises';
import { fail } from '../errors.js';
import { recoverLeftovers, swap, tempName } from '../atomic.js';
import { checkKind, makeParents, refuseInputs, resolveDestination, type Destination, type OutputInput } from './destination.js';
import { acquireLock } from './lock.js';
import { markFolder, whyNotOurs } from './marker.js';
import { asUserError } from './io-errors.js';

export interface OutputFolderOptions {
  /** `--out` as the user gave it. */
  dest: string;
  /** The command writing it, recorded in the marker: only the same command replaces the folder later. */
  command: string;
  /** The command's inputs: the destination may be neither one of them nor a folder holding one. */
  inputs?: ReadonlyArray<OutputInput | undefined>;
  /** Aborting drops the new output (the temp folder is removed once `produce` has settled) and rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Writes a command's output folder: checks the destination before any work,
 * takes its lock, lets `produce` fill a fresh temp folder beside it, adds the
 * marker and renames it into place. The previous folder is replaced only if
 * it is empty or the same command's unchanged output (src/util/output/marker.ts).
 * On an error or an abort nothing changes: the temp folder is removed after
 * `produce` has settled (so no write of it is still in flight), then the lock.
 */
export async function writeOutputFolder<T>(o: OutputFolderOptions, produce: (dir: string) => Promise<T>): Promise<T> {
  o.signal?.throwIfAborted();
  const dest = await resolveDestination(o.dest);
  await refuseInputs(dest, o.inputs?.filter((i) => i !== undefined) ?? []);
  await checkKind(dest, 'folder');
  const unmake = await makeParents(dest);
  let release: (() => Promise<void>) | undefined;
  let done = false;
  try {
    release = await asUserError(o.dest, () => acquireLock(dest.real, o.dest));
    await asUserError(o.dest, () => recoverLeftovers(dest.real));
    await asUserError(o.dest, () => refuseForeign(dest, o.command));
    const result = await produceInTemp(dest, o, produce);
    done = true;
    return result;
  } finally {
    await release?.();
    if (!done) await unmake();
  }
}

async function produceInTemp<T>(dest: Destination, o: OutputFolderOptions, produce: (dir: string) => Promise<T>): Promise<T> {
  const tmp = tempName(dest.real);
  const old = `${tmp}.old`;
  // mkdir, not mkdtemp: the umask applies (0755 with the usual 022), as for any folder the user makes.
  await asUserError(o.dest, () => mkdir(tmp, { mode: 0o777 }));
  let swapped = false;
  try {
    const result = await asUserError(o.dest, () => produce(tmp), true);
    o.signal?.throwIfAborted();
    await markFolder(tmp, o.command);
    // Again, right before the swap: the user may have put a file there while the output was computed.
    const mode = await refuseForeign(dest, o.command);
    if (mode !== undefined) await chmod(tmp, mode);
    o.signal?.throwIfAborted();
    await asUserError(o.dest, () => swap(dest.real, tmp, old));
    swapped = true;
    await rm(old, { recursive: true, force: true });
    return result;
  } finally {
    if (!swapped) await rm(tmp, { recursive: true, force: true });
  }
}

/** Refuses a destination holding anything but `command`'s own output; returns the mode of the folder there, if any. */
async function refuseForeign(dest: Destination, command: string): Promise<number | undefined> {
  const st = await lstat(dest.real).catch(() => undefined);
  if (!st) return undefined;
  st.isDirectory() || fail('OUTPUT_PATH', `--out ${dest.given} is no longer a folder; choose another --out`);
  const why = await whyNotOurs(dest.real, command);
  if (why !== undefined) {
    fail(
      'OUTPUT_NOT_OURS',
      `--out ${dest.given}: ${why}; tinypdm replaces only an empty folder or its own earlier output: ` +
        'choose another --out, or empty the folder yourself',
    );
  }
  return st.mode & 0o7777;
}
