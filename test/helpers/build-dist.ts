import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * Vitest globalSetup: tests run the real CLI (bin/tinypdm.js → dist/), so dist/ must match src/ before any
 * test starts. The build is incremental: when nothing changed it only compares timestamps.
 */
export default function setup(): void {
  const root = path.resolve(import.meta.dirname, '../..');
  const r = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) {
    const output = `${r.stdout}${r.stderr}${r.error?.message ?? ''}`;
    throw new Error(`npm run build failed before the tests (exit ${r.status ?? r.signal}):\n${output}`);
  }
}
