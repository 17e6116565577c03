import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { fail } from './errors.js';

/**
 * Paths written inside a file (a TF.js weightsManifest's shard paths,
 * tinypdm.json's calibration file and split entries) are the file author's,
 * not the user's: a model handed to a user must not make tinypdm read
 * `../../.ssh/id_rsa` or `/dev/zero` and copy its bytes into an output. Such
 * a path is resolved against the folder of the file that names it and must
 * stay inside that folder:
 *
 * - a string, not empty, without NUL, not absolute;
 * - after resolving `.` and `..`, inside the folder (not the folder itself);
 * - after resolving symlinks, still inside the folder's real path. A symlink
 *   that leaves the folder is refused even when its target is harmless:
 *   an archive can carry symlinks, and nothing tells a harmless target
 *   from `~/.ssh` (copy such a file into the folder instead, e.g. `cp -L`).
 *
 * `where` names the file and the key for messages, e.g.
 * `run/model.json: weightsManifest path`.
 */
export function confinedPath(folder: string, rel: unknown, where: string, fix: string): string {
  const shown = show(rel);
  if (typeof rel !== 'string' || rel === '') fail('PATH_OUTSIDE', `${where} ${shown} is not a file name; ${fix}`);
  if (rel.includes('\0')) fail('PATH_OUTSIDE', `${where} ${shown} contains a NUL byte; ${fix}`);
  if (path.isAbsolute(rel)) {
    fail('PATH_OUTSIDE', `${where} ${shown} is an absolute path; paths inside the file must be relative to its folder ${folder}; ${fix}`);
  }
  const base = path.resolve(folder);
  const full = path.resolve(base, rel);
  if (!isInside(base, full)) {
    fail('PATH_OUTSIDE', `${where} ${shown} leaves the folder ${folder}; paths inside the file must stay in its folder; ${fix}`);
  }
  return full;
}

/**
 * confinedPath plus the symlink check: when the path exists, its real path
 * must lie inside the folder's real path. A path that does not exist is
 * returned as is (the reader reports it missing).
 */
export async function confinedRealPath(folder: string, rel: unknown, where: string, fix: string): Promise<string> {
  const full = confinedPath(folder, rel, where, fix);
  const real = await realpath(full).catch(() => undefined);
  if (real === undefined) return full;
  const base = await realpath(folder).catch(() => path.resolve(folder));
  if (!isInside(base, real)) {
    const copy = 'copy the file itself into the folder (e.g. cp -L)';
    fail('PATH_OUTSIDE', `${where} ${show(rel)} is a symlink to ${real}, outside the folder ${folder}; ${copy}; ${fix}`);
  }
  return full;
}

/**
 * A path relative to a folder the file does not know yet (a dataset's clip in
 * tinypdm.json's split): forward slashes, no empty, '.' or '..' segment, not
 * absolute, no NUL or backslash. Inside whatever folder it is joined to.
 */
export function plainRelativePath(rel: unknown, where: string, fix: string): string {
  const shown = show(rel);
  if (typeof rel !== 'string' || rel === '') return fail('PATH_OUTSIDE', `${where} ${shown} is not a file name; ${fix}`);
  if (rel.includes('\0')) fail('PATH_OUTSIDE', `${where} ${shown} contains a NUL byte; ${fix}`);
  if (rel.startsWith('/') || rel.includes('\\')) {
    fail('PATH_OUTSIDE', `${where} ${shown} is not a relative path with forward slashes; ${fix}`);
  }
  if (rel.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    fail('PATH_OUTSIDE', `${where} ${shown} has an empty, '.' or '..' segment; ${fix}`);
  }
  return rel;
}

/** True when `p` lies strictly inside `dir` (both absolute and normalised). */
function isInside(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel !== '' && !rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel);
}

/** The value as written, quoted, cut short so a hostile megabyte-long path cannot flood the message. */
function show(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 160 ? `${text.slice(0, 150)}…(${text.length} characters)` : text;
}
