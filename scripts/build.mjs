#!/usr/bin/env node
// `npm run build`: compiles src/ to dist/ (tsconfig.build.json), then brings dist/ in line with src/.
//   - tsc -b is incremental: when nothing changed since the last build it only compares timestamps.
//   - Plain JavaScript modules in src/ (*.mjs, e.g. the HDF5 worker thread, loaded by URL beside its
//     importer) are copied to the same place under dist/; tsc does not emit them.
//   - Outputs whose source is gone (a file moved or deleted in src/) are removed, so neither the CLI
//     nor the npm package can pick up a stale module.
// Plain Node and no dependency besides typescript, because `npm ci` runs it (the prepare script).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, unlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC = path.join(ROOT, 'src');
const DIST = path.join(ROOT, 'dist');

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-b', path.join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
if (r.status !== 0) {
  process.stderr.write(`build: tsc -b tsconfig.build.json failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`})\n`);
  process.exit(1);
}

/** Relative paths of every file under `dir`, sorted. */
function files(dir, rel = '') {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name), path.join(rel, e.name)) : [path.join(rel, e.name)]));
}

// Copy only on a change, so a build while tests run from dist/ never rewrites a file under them.
for (const rel of files(SRC).filter((f) => f.endsWith('.mjs'))) {
  const from = path.join(SRC, rel);
  const to = path.join(DIST, rel);
  if (existsSync(to) && readFileSync(to).equals(readFileSync(from))) continue;
  mkdirSync(path.dirname(to), { recursive: true });
  copyFileSync(from, to);
}

/** The src/ file an output comes from: x.js and x.d.ts from x.ts, x.mjs from itself. */
function sourceOf(rel) {
  if (rel.endsWith('.d.ts')) return rel.slice(0, -'.d.ts'.length) + '.ts';
  if (rel.endsWith('.js')) return rel.slice(0, -'.js'.length) + '.ts';
  if (rel.endsWith('.mjs')) return rel;
  return undefined;
}
for (const rel of files(DIST)) {
  const src = sourceOf(rel);
  if (src !== undefined && !existsSync(path.join(SRC, src))) unlinkSync(path.join(DIST, rel));
}
/** Removes folders left empty under `dir` (deepest first). */
function pruneEmpty(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) pruneEmpty(path.join(dir, e.name));
  if (dir !== DIST && readdirSync(dir).length === 0) rmdirSync(dir);
}
if (existsSync(DIST)) pruneEmpty(DIST);
