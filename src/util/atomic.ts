import { renameSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Atomic outputs: everything is written into a temp directory beside the
 * destination and renamed into place at the end, so an error or an interrupt
 * never leaves a half-written output, and a previous output stays intact until
 * the new one is complete.
 *
 * Temp names are `.tmp-<name>-<pid>-<random>` (the previous output moves to
 * the same name plus `.old` during the swap), so a later run can tell what a
 * process that died (SIGKILL, power loss) left behind from what a live one is
 * still writing.
 */
export async function writeAtomically<T>(destDir: string, produce: (tmpDir: string) => Promise<T>): Promise<T> {
  const dest = path.resolve(destDir);
  const parent = path.dirname(dest);
  await mkdir(parent, { recursive: true });
  await recoverLeftovers(dest);
  const tmp = await mkdtemp(`${tempPrefix(dest)}-`);
  const old = `${tmp}.old`;
  let swapped = false;
  // The swap is synchronous, so a signal is handled either before it (the new
  // output is dropped) or after it (the previous output, moved aside, is).
  const onSignal = () => {
    void rm(swapped ? old : tmp, { recursive: true, force: true }).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const result = await produce(tmp);
    swap(dest, tmp, old);
    swapped = true;
    await rm(old, { recursive: true, force: true });
    return result;
  } catch (e) {
    if (!swapped) await rm(tmp, { recursive: true, force: true });
    throw e;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

/**
 * dest → old, tmp → dest, with no await in between: Node runs signal handlers
 * on the event loop, so no SIGINT/SIGTERM handler can see dest missing. Only a
 * process killed outright can stop between the two renames; recoverLeftovers
 * repairs that on the next run.
 */
function swap(dest: string, tmp: string, old: string): void {
  let moved = false;
  try {
    renameSync(dest, old);
    moved = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  try {
    renameSync(tmp, dest);
  } catch (e) {
    if (moved) renameSync(old, dest);
    throw e;
  }
}

/**
 * One file, written to a temp name in the same directory and renamed. A single
 * rename never leaves the destination missing, so there is nothing to recover
 * (and a cache writing thousands of files should not list its folder each time).
 */
export async function writeFileAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const dest = path.resolve(file);
  const tmp = tempPrefix(dest);
  try {
    await writeFile(tmp, data);
    await rename(tmp, dest);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

function tempPrefix(dest: string): string {
  return path.join(path.dirname(dest), `.tmp-${path.basename(dest)}-${process.pid}`);
}

/**
 * What a dead process left beside `dest`: its temp output (removed) and, if
 * it died mid-swap, the previous output moved aside (put back when dest is
 * missing, else removed: the swap had finished). Entries of live processes,
 * including a concurrent run writing the same destination, are left alone.
 */
async function recoverLeftovers(dest: string): Promise<void> {
  const parent = path.dirname(dest);
  const pattern = new RegExp(`^\\.tmp-${escapeRegExp(path.basename(dest))}-(\\d+)(?:-[A-Za-z0-9]{6})?(\\.old)?$`);
  const names = await readdir(parent).catch(() => [] as string[]);
  const stale = names.flatMap((name) => {
    const m = pattern.exec(name);
    return m && !isAlive(Number(m[1])) ? [{ entry: path.join(parent, name), old: m[2] !== undefined }] : [];
  });
  // Previous outputs first: one goes back into place before the rest are judged.
  for (const { entry } of stale.filter((s) => s.old)) {
    if (await exists(dest)) await rm(entry, { recursive: true, force: true });
    else await rename(entry, dest);
  }
  for (const { entry } of stale.filter((s) => !s.old)) await rm(entry, { recursive: true, force: true });
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}
