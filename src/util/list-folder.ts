import { readdirSync, readlinkSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import path from 'node:path';
import { fail } from './errors.js';

/**
 * One folder of a dataset: its WAV files and subfolders, by name, sorted.
 *
 * Symbolic links are followed, as every other audio tool does: a folder of
 * links into a download is the usual way to make a dataset without copying
 * gigabytes, and a link that was skipped used to leave the user with a
 * misleading "no normal/*.wav clips". Links stay confined in what they can
 * make tinypdm read, not in where they point:
 *  - a link named `*.wav` must lead to a regular file whose own name ends in
 *    `.wav`, so a hostile archive cannot point a clip at a key or a password
 *    file; a link to a folder is a folder;
 *  - a FIFO, device or socket named `*.wav` (directly or through a link) is
 *    refused: reading one would never end;
 *  - a dangling link or a link loop is an error naming the link, never a
 *    silently missing clip;
 *  - layouts descend a fixed number of levels, never recursively, so a folder
 *    link that points at its own parent cannot be walked forever;
 *  - clip paths recorded in tinypdm.json are the link paths inside the
 *    dataset folder, never the targets.
 * Files that are not `.wav` are not inputs and are left alone.
 */
export interface FolderEntries {
  wavs: string[];
  dirs: string[];
}

/** The folder's entries; undefined when it does not exist (or is not a folder). */
export function listFolder(dir: string): FolderEntries | undefined {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    return fail('FILE_NOT_FOUND', `${dir}: cannot list the dataset folder (${code ?? 'error'}); check its permissions`, e);
  }
  const wavs: string[] = [];
  const dirs: string[] = [];
  for (const e of entries) {
    const full = path.join(dir, e.name);
    const isWav = /\.wav$/i.test(e.name);
    if (e.isDirectory()) dirs.push(e.name);
    else if (e.isFile()) {
      if (isWav) wavs.push(e.name);
    } else if (e.isSymbolicLink()) {
      const target = followLink(full);
      if (target.isDirectory()) dirs.push(e.name);
      else if (isWav) {
        checkRegular(full, target);
        const real = realpathSync(full);
        /\.wav$/i.test(real) ||
          fail(
            'BAD_DATASET',
            `${full}: a link to ${real}, which is not a .wav file; tinypdm follows links only to .wav files and folders — link the clip itself`,
          );
        wavs.push(e.name);
      }
    } else if (isWav) {
      fail('BAD_DATASET', `${full}: not a regular file (a FIFO, device or socket); copy the clip into the dataset as a file`);
    }
  }
  return { wavs: wavs.sort(compareNames), dirs: dirs.sort(compareNames) };
}

/** Subfolder names of a folder (following links); [] when it does not exist. */
export function subfolders(dir: string): string[] {
  return listFolder(dir)?.dirs ?? [];
}

/** WAV names directly in a folder (following links); [] when it does not exist. */
export function wavFiles(dir: string): string[] {
  return listFolder(dir)?.wavs ?? [];
}

function followLink(link: string): Stats {
  try {
    return statSync(link);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    let to = '?';
    try {
      to = readlinkSync(link);
    } catch {
      // keep '?'
    }
    if (code === 'ELOOP') return fail('BAD_DATASET', `${link}: a symbolic link loop (-> ${to}); fix or remove the link`, e);
    if (code === 'ENOENT')
      return fail('BAD_DATASET', `${link}: a symbolic link to ${to}, which does not exist (a dangling link); fix or remove the link`, e);
    return fail(
      'FILE_NOT_FOUND',
      `${link}: cannot follow the symbolic link to ${to} (${code ?? 'error'}); check its target and permissions`,
      e,
    );
  }
}

function checkRegular(link: string, s: Stats): void {
  s.isFile() || fail('BAD_DATASET', `${link}: links to something that is not a regular file (a FIFO, device or socket); link a .wav file`);
}

/** Code-unit order, independent of the locale. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Refuses two clip paths that are the same file (a link and its target both
 * inside the dataset, or two links to one file): the same clip would land on
 * both sides of a split, or carry two labels.
 */
export function checkDistinctFiles(root: string, files: readonly string[]): void {
  const seen = new Map<string, string>();
  for (const f of files) {
    const real = realpathSync(path.join(root, ...f.split('/')));
    const other = seen.get(real);
    if (other !== undefined)
      fail('BAD_DATASET', `${root}: ${other} and ${f} are the same file (${real}) through a link; list each clip once`);
    seen.set(real, f);
  }
}
