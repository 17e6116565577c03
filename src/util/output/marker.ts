import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { assertInternal } from '../errors.js';
import { VERSION } from '../version.js';

/**
 * `.tinypdm-output.json`, written into every folder tinypdm writes: the
 * command, the version and every file with its size and SHA-256. It is how a
 * later run knows a folder is its own to replace: only if nothing in it is
 * missing from the list or changed since (a note the user added, a report
 * they edited). Deterministic: no timestamps, no absolute paths.
 */
export const OUTPUT_MARKER = '.tinypdm-output.json';

export interface OutputMarker {
  writtenBy: 'tinypdm';
  version: string;
  command: string;
  files: MarkedFile[];
}

export interface MarkedFile {
  /** Relative to the folder, '/'-separated. */
  path: string;
  bytes: number;
  sha256: string;
}

/**
 * Outputs one command may find inside another's folder and replace with it:
 * `tinypdm eval` writes RUN/eval by default, so a run folder holds one, and so
 * may a tune folder's runs/ and best/.
 */
const NESTED: Readonly<Record<string, readonly string[]>> = { train: ['eval'], tune: ['eval'] };

/** The feature cache, derived data that `train`, `eval` and `sweep` keep in DATA/.cache/tinypdm by default. */
const FEATURE_CACHE = /^\.cache\/tinypdm\/(?:[0-9a-f]{16,64}\.bin|\.tmp-[^/]+)$/;

/** Lists `dir` (the finished temp folder) into its marker. */
export async function markFolder(dir: string, command: string): Promise<void> {
  const entries = await listTree(dir);
  const files: MarkedFile[] = [];
  for (const e of entries) {
    assertInternal(e.type !== 'other', `${e.rel} in a freshly written output is not a regular file or folder`);
    if (e.type !== 'file' || e.rel === OUTPUT_MARKER) continue;
    files.push({ path: e.rel, bytes: e.bytes, sha256: await sha256(path.join(dir, e.rel)) });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const marker: OutputMarker = { writtenBy: 'tinypdm', version: VERSION, command, files };
  await writeFile(path.join(dir, OUTPUT_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
}

/**
 * Why the folder `dir` may not be replaced by `command`'s output, or undefined
 * when it may: it holds no file, or it is `command`'s own output, unchanged
 * but for files tinypdm derives later (a nested `eval`, the feature cache).
 */
export async function whyNotOurs(dir: string, command: string): Promise<string | undefined> {
  const entries = await listTree(dir);
  if (entries.every((e) => e.type === 'dir')) return undefined;
  const root = await readMarker(dir, OUTPUT_MARKER);
  if (typeof root === 'string') return root;
  if (root.command !== command) return `it holds the output of tinypdm ${root.command}, which ${command} does not replace`;
  const ours = new Map(root.files.map((f) => [f.path, f]));
  const markers = new Set([OUTPUT_MARKER]);
  for (const e of entries.filter((x) => x.rel.endsWith(`/${OUTPUT_MARKER}`) && !ours.has(x.rel))) {
    const nested = await readMarker(dir, e.rel);
    if (typeof nested === 'string' || !(NESTED[command] ?? []).includes(nested.command)) continue;
    const base = e.rel.slice(0, -OUTPUT_MARKER.length);
    markers.add(e.rel);
    for (const f of nested.files) ours.set(base + f.path, { ...f, path: base + f.path });
  }
  for (const e of entries) {
    if (e.type === 'dir' || markers.has(e.rel)) continue;
    if (e.type === 'other') return `${e.rel} is a link or special file, which tinypdm never writes`;
    if (FEATURE_CACHE.test(e.rel)) continue;
    const f = ours.get(e.rel);
    if (!f && /(^|\/)\.tmp-/.test(e.rel))
      return `${e.rel} was left by a tinypdm writing there (killed, or still running); remove it once none runs`;
    if (!f) return `${e.rel} is not a file tinypdm wrote there`;
    if (f.bytes !== e.bytes || f.sha256 !== (await sha256(path.join(dir, e.rel)))) return `${e.rel} changed after tinypdm wrote it`;
  }
  return undefined;
}

async function readMarker(dir: string, rel: string): Promise<OutputMarker | string> {
  let m: Partial<OutputMarker>;
  try {
    m = JSON.parse(await readFile(path.join(dir, rel), 'utf8')) as Partial<OutputMarker>;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `it has no ${OUTPUT_MARKER}, so tinypdm did not write it` : `its ${rel} is damaged`;
  }
  const valid =
    m?.writtenBy === 'tinypdm' &&
    typeof m.command === 'string' &&
    Array.isArray(m.files) &&
    m.files.every((f) => typeof f?.path === 'string' && Number.isSafeInteger(f.bytes) && typeof f.sha256 === 'string');
  return valid ? (m as OutputMarker) : `its ${rel} is damaged`;
}

interface TreeEntry {
  rel: string;
  type: 'file' | 'dir' | 'other';
  bytes: number;
}

/** Every entry under `dir`, without following symlinks. */
async function listTree(dir: string, prefix = ''): Promise<TreeEntry[]> {
  const out: TreeEntry[] = [];
  const entries = await readdir(path.join(dir, prefix), { withFileTypes: true });
  for (const d of entries) {
    const rel = prefix + d.name;
    if (d.isDirectory()) {
      out.push({ rel, type: 'dir', bytes: 0 });
      out.push(...(await listTree(dir, `${rel}/`)));
    } else if (d.isFile()) {
      out.push({ rel, type: 'file', bytes: (await lstat(path.join(dir, rel))).size });
    } else out.push({ rel, type: 'other', bytes: 0 });
  }
  return out;
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
