import type { Stats } from 'node:fs';
import { lstat, mkdir, realpath, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fail } from '../errors.js';

/**
 * Where an output goes, checked before anything is computed: not empty, not
 * the current folder, not a file where a folder belongs (or the reverse), and
 * neither an input of the command nor a folder holding one.
 */
export interface Destination {
  /** As the user gave it, for messages. */
  given: string;
  /** The path written: absolute, symlinks resolved (a linked destination is written through to its target). */
  real: string;
  /** What `real` is now. */
  type: 'missing' | 'folder' | 'file' | 'other';
  /** Its mode bits, if it exists. */
  mode?: number;
}

/** An input of the command (file or folder): the destination may be neither it nor a folder holding one. */
export interface OutputInput {
  /** What it is, for the message: "the model", "the dataset". */
  what: string;
  path: string;
}

/** Where `--out given` leads. A missing destination's nearest existing ancestor must be a folder. */
export async function resolveDestination(given: string): Promise<Destination> {
  given.trim() !== '' ||
    fail('OUTPUT_PATH', `--out ${JSON.stringify(given)} is empty, which would mean the current folder; name the output, e.g. --out out`);
  const abs = path.resolve(given);
  const own = await lstatOrMissing(abs, given);
  if (!own) return missing(given, abs);
  let real = abs;
  let target = own;
  if (own.isSymbolicLink()) {
    real = await realpath(abs).catch((e: NodeJS.ErrnoException) =>
      fail(
        'OUTPUT_PATH',
        `--out ${given} is a symbolic link that does not resolve (${e.code}); tinypdm writes through a link ` +
          'only to an existing target: create it, or choose another --out',
        e,
      ),
    );
    target = await stat(real);
  }
  const type = target.isDirectory() ? 'folder' : target.isFile() ? 'file' : 'other';
  return { given, real, type, mode: target.mode & 0o7777 };
}

/** A folder destination must be (or become) a folder, and not the one the user stands in; a file destination a regular file. */
export async function checkKind(dest: Destination, kind: 'folder' | 'file'): Promise<void> {
  const { given, type } = dest;
  type !== 'other' ||
    fail('OUTPUT_PATH', `--out ${given} is not a regular file or folder (a device, FIFO or socket); choose another --out`);
  if (kind === 'folder') {
    type !== 'file' || fail('OUTPUT_PATH', `--out ${given} is a file, not a folder; choose another --out, or move it away yourself`);
    // Replacing the folder a shell stands in (or one above it) leaves the user in a deleted directory.
    const cwd = await realpath(path.resolve('.'));
    if (cwd === dest.real || cwd.startsWith(dest.real.endsWith(path.sep) ? dest.real : dest.real + path.sep)) {
      const what = cwd === dest.real ? 'the current folder' : 'a folder holding the current one';
      fail('OUTPUT_PATH', `--out ${given} is ${what}; write into a new subfolder instead, e.g. --out out`);
    }
  } else {
    type !== 'folder' ||
      fail('OUTPUT_PATH', `--out ${given} is a folder, not a file; name a file, e.g. --out ${path.join(given, 'out.npy')}`);
  }
}

async function missing(given: string, abs: string): Promise<Destination> {
  let ancestor = path.dirname(abs);
  while (!(await lstatOrMissing(ancestor, given))) ancestor = path.dirname(ancestor);
  const real = await realpath(ancestor).catch((e: NodeJS.ErrnoException) =>
    fail(
      'OUTPUT_PATH',
      `--out ${given}: ${shown(given, ancestor)} is a symbolic link that does not resolve (${e.code}); ` +
        'create its target, or choose another --out',
      e,
    ),
  );
  (await stat(real)).isDirectory() ||
    fail('OUTPUT_PATH', `--out ${given}: ${shown(given, ancestor)} is a file, so nothing can be made inside it; choose another --out`);
  return { given, real: path.join(real, path.relative(ancestor, abs)), type: 'missing' };
}

/** A path above the destination, as the user would write it (relative if they gave a relative --out). */
function shown(given: string, p: string): string {
  return path.isAbsolute(given) ? p : path.relative(path.resolve('.'), p) || '.';
}

async function lstatOrMissing(p: string, given: string): Promise<Stats | undefined> {
  try {
    return await lstat(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    return fail('OUTPUT_PATH', `--out ${given}: cannot look at ${shown(given, p)} (${code}); choose another --out`, e);
  }
}

/**
 * The destination may not be an input, nor hold one (compared by device and
 * inode, so symlinks, `..` and bind mounts do not hide it). It may lie inside an
 * input's folder (`run/eval` beside `run/model.json`). A missing destination holds nothing.
 */
export async function refuseInputs(dest: Destination, inputs: readonly OutputInput[]): Promise<void> {
  if (dest.mode === undefined || inputs.length === 0) return;
  const here = await stat(dest.real);
  const seen = new Set<string>();
  for (const input of inputs) {
    const real = await realpath(path.resolve(input.path)).catch(() => undefined);
    // A missing input: the command reports it; there is nothing of it to lose.
    for (let p = real; p !== undefined && !seen.has(p); p = path.dirname(p) === p ? undefined : path.dirname(p)) {
      seen.add(p);
      const s = await stat(p).catch(() => undefined);
      if (s?.dev !== here.dev || s.ino !== here.ino) continue;
      const named = `an input of this command (${input.what} ${input.path})`;
      fail(
        'OUTPUT_IS_INPUT',
        p === real
          ? `--out ${dest.given} is ${named}; tinypdm never writes over its inputs: choose another --out`
          : `--out ${dest.given} holds ${named}; tinypdm never replaces a folder holding its inputs: choose another --out, e.g. a new subfolder`,
      );
    }
  }
}

/**
 * Creates the missing folders above the destination (mkdir -p never removes
 * anything). Returns a function that removes again those it made, for a
 * write that failed or was interrupted.
 */
export async function makeParents(dest: Destination): Promise<() => Promise<void>> {
  const parent = path.dirname(dest.real);
  const first = await mkdir(parent, { recursive: true }).catch((e: NodeJS.ErrnoException) =>
    fail('OUTPUT_PATH', `--out ${dest.given}: cannot create the folder ${parent} (${e.code}); choose another --out`, e),
  );
  return async () => {
    if (first === undefined) return;
    for (let p = parent; p.startsWith(first); p = path.dirname(p)) {
      if (
        !(await rmdir(p).then(
          () => true,
          () => false,
        ))
      )
        return;
    }
  };
}
