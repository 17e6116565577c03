import { readFileSync } from 'node:fs';
import { packagePath } from '../../../util/index.js';
import path from 'node:path';
import { assertInternal } from '../../../util/index.js';

/** firmware/kernels/ of the package: the hand-written kernels the generated model includes. */
export const KERNELS_DIR = packagePath('firmware', 'kernels') + path.sep;

const QUOTED_INCLUDE = /^#include "([^"]+)"/gm;

/**
 * Every kernel header a model needs, its quoted includes followed
 * transitively: `kernels/<path>` → content, sorted by path (stable output).
 */
export function kernelSources(headers: readonly string[]): Record<string, string> {
  const files = new Map<string, string>();
  const visit = (rel: string) => {
    const norm = path.posix.normalize(rel);
    assertInternal(norm.startsWith('kernels/') && !norm.includes('..'), `kernel include ${rel} leaves firmware/kernels`);
    if (files.has(norm)) return;
    const content = readFileSync(path.join(KERNELS_DIR, norm.slice('kernels/'.length)), 'utf8');
    files.set(norm, content);
    for (const m of content.matchAll(QUOTED_INCLUDE)) visit(path.posix.join(path.posix.dirname(norm), m[1]!));
  };
  headers.forEach(visit);
  return Object.fromEntries([...files.entries()].sort(([a], [b]) => a.localeCompare(b)));
}
