import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fail } from './errors.js';

/**
 * tinypdm reads its own files at run time: templates/, firmware/ and package.json. They sit at the package
 * root, which is a different number of folders above this module when it runs as TypeScript from src/ (tests,
 * tsx) and as JavaScript from dist/ (the installed CLI and library). So walk up to the package.json whose name
 * is tinypdm, instead of hard-coding a relative URL per module.
 */
const PACKAGE_NAME = 'tinypdm';

let root: string | undefined;

/** The package root folder (holding package.json, templates/ and firmware/). */
export function packageRoot(): string {
  root ??= findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));
  return root;
}

/** A path inside the package, e.g. `packagePath('templates', 'model_data.h.hbs')`. */
export function packagePath(...segments: string[]): string {
  return path.join(packageRoot(), ...segments);
}

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && manifestName(manifest) === PACKAGE_NAME) return dir;
    if (path.dirname(dir) === dir) {
      const what = `no package.json named "${PACKAGE_NAME}" in ${from} or any folder above it`;
      return fail('FILE_NOT_FOUND', `${what}; the installation is incomplete, reinstall tinypdm`);
    }
  }
}

/** The `name` of a package.json, or undefined if it cannot be read: some other package's manifest is not ours to judge. */
function manifestName(file: string): string | undefined {
  try {
    const name: unknown = (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}
