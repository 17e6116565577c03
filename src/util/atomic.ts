import { randomBytes } from 'node:crypto';
import { renameSync } from 'node:fs';
import { lstat, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The mechanics of atomic outputs: temp names beside a destination, the
 * two-rename swap, and the recovery of what a killed process left. The policy
 * (which destinations may be replaced at all, locking, the marker) is in
 * src/util/output/, the only caller of the folder functions here.
 *
 * Temp names are `.tmp-<name>-<pid>-<6 random>` (the previous output moves to
 * the same name plus `.old` during the swap), so a later run can tell what a
 * process that died (SIGKILL, power loss) left behind from what a live one is
 * still writing.
 */
export function tempName(dest: string): string {
  const suffix = randomBytes(6).toString('base64url').replace(/[-_]/g, '0').slice(0, 6);
  return path.join(path.dirname(dest), `.tmp-${path.basename(dest)}-${process.pid}-${suffix}`);
}

/**
 * dest → old, tmp → dest, with no await in between: Node runs signal handlers
 * on the event loop, so no SIGINT/SIGTERM handler can see dest missing. Only a
 * process killed outright can stop between the two renames; recoverLeftovers
 * repairs that on the next run.
 */
export function swap(dest: string, tmp: string, old: string): void {
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
 * One file, written to a fresh temp name in the same directory and renamed: for
 * caches, whose entries are derived data. The temp file is created exclusively
 * (a symlink planted at its name is not followed) and the rename replaces a
 * symlink at `file` instead of writing through it, so a cache write never
 * lands outside its folder. A single rename never leaves the destination
 * missing, so there is nothing to recover (and a cache writing thousands of
 * files should not list its folder each time).
 */
export async function writeFileAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const dest = path.resolve(file);
  const tmp = tempName(dest);
  try {
    await writeFile(tmp, data, { flag: 'wx' });
    await rename(tmp, dest);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/**
 * What a dead process left beside `dest`: its temp output (removed) and, if
 * it died mid-swap, the previous output moved aside (put back when dest is
 * missing, else removed: the swap had finished). Entries of live processes
 * are left alone. Callers hold the destination's lock (src/util/output/lock.ts),
 * so no live tinypdm is writing `dest` itself.
 */
export async function recoverLeftovers(dest: string): Promise<void> {
  const parent = path.dirname(dest);
  const base = escapeRegExp(path.basename(dest));
  const pattern = new RegExp(`^\\.tmp-${base}-(\\d+)-[A-Za-z0-9]{6}(\\.old)?$`);
  // A lock's private draft, or a stale lock moved aside (src/util/output/lock.ts).
  const lockDraft = new RegExp(`^\\.tmp-${base}\\.lock\\.(?:stale\\.)?(\\d+)\\.[0-9a-f]{12}$`);
  const names = await readdir(parent).catch(() => [] as string[]);
  const stale = names.flatMap((name) => {
    const m = pattern.exec(name) ?? lockDraft.exec(name);
    return m && !isAlive(Number(m[1])) ? [{ entry: path.join(parent, name), old: m[2] !== undefined }] : [];
  });
  // Previous outputs first: one goes back into place before the rest are judged.
  for (const { entry } of stale.filter((s) => s.old)) {
    if (await exists(dest)) await rm(entry, { recursive: true, force: true });
    else await rename(entry, dest);
  }
  for (const { entry } of stale.filter((s) => !s.old)) await rm(entry, { recursive: true, force: true });
}

export function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}
