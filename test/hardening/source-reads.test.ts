import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The bounded reader (src/util/read-input.ts) is the only way src/ reads an
 * input file. This scans the sources for the file-reading calls of node:fs
 * and allows them only where tinypdm reads its own package files.
 */
const SRC = path.resolve(import.meta.dirname, '../../src');

/** file → what it reads with a raw call, and why that is not an input. */
const ALLOWED: Record<string, string> = {
  'util/read-input.ts': 'the bounded reader itself',
  'util/version.ts': "tinypdm's own package.json",
  'util/package-root.ts': "tinypdm's own package.json, to find the package root",
  'util/output/lock.ts': 'the lock file tinypdm itself writes beside an output',
  'util/output/marker.ts': 'the marker tinypdm itself writes in an output folder, and the files it lists there (hashed, never parsed)',
  'util/output/file.ts': 'opens an output file tinypdm is writing, to fsync it',
  'compiler/6-emit/render.ts': "tinypdm's own templates/",
  'compiler/6-emit/sketch/portable-sources.ts': "tinypdm's own firmware/ sources",
  'compiler/6-emit/c-model/kernel-sources.ts': "tinypdm's own firmware/kernels/, the C runtime's kernels a compiled model includes",
  'tflite/runtime.ts': 'the .wasm binary of the installed @tensorflow/tfjs-tflite package',
};

/** Calls that read a file's contents, or open it for reading, without the reader's checks. */
const RAW_READ =
  /\b(readFile|readFileSync|createReadStream|copyFile|copyFileSync|cp|cpSync|openSync|readSync|readv|readvSync|openAsBlob|opendir)\b/;
/** `open` from node:fs/promises (a FileHandle), or node:fs as a whole namespace, which would hide the calls above. */
const RAW_IMPORT =
  /import\s+(?:\*\s+as\s+\w+|\w+)\s+from\s+'node:fs(?:\/promises)?'|import\s*\{[^}]*\bopen\b[^}]*\}\s*from\s*'node:fs(?:\/promises)?'/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'schema' ? [] : sources(full);
    return /\.(ts|mts|mjs|js)$/.test(e.name) ? [full] : [];
  });
}

describe('src/ reads input files only through the bounded reader', () => {
  it('no raw fs read outside the allow-list of tinypdm’s own package files', () => {
    const offenders: string[] = [];
    const seen = new Set<string>();
    for (const file of sources(SRC)) {
      const rel = path.relative(SRC, file).split(path.sep).join('/');
      const text = readFileSync(file, 'utf8');
      // Only code: strip comments and string contents that merely mention a name.
      const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
      code.split('\n').forEach((line, i) => {
        const hit =
          RAW_READ.test(line) && /from 'node:fs|\b(readFile|readFileSync|createReadStream|copyFile|openSync|readSync)\s*\(/.test(line);
        if (!hit && !RAW_IMPORT.test(line)) return;
        if (Object.hasOwn(ALLOWED, rel)) seen.add(rel);
        else offenders.push(`src/${rel}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offenders, 'read these through src/util/read-input.ts').toEqual([]);
    // Every allowance is still used, so the list cannot rot into a loophole.
    expect([...seen].sort()).toEqual(Object.keys(ALLOWED).sort());
  });

  it('the scan finds a raw read when there is one (it is not vacuous)', () => {
    const line = "import { readFile } from 'node:fs/promises';";
    expect(RAW_READ.test(line) && /from 'node:fs/.test(line)).toBe(true);
    expect(RAW_IMPORT.test("import { open, stat } from 'node:fs/promises';")).toBe(true);
    expect(RAW_IMPORT.test("import fs from 'node:fs';")).toBe(true);
    expect(RAW_IMPORT.test("import { mkdir, writeFile } from 'node:fs/promises';")).toBe(false);
  });
});
