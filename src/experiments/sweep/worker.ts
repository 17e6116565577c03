/**
 * Child-process entry of `tinypdm sweep`: runs one point (argv[2] = JSON
 * PointSpec) and prints its PointResult as the last stdout line. Errors go to
 * stderr with exit code 1 (user error) or 2.
 */
import { isUserError } from '../../util/index.js';
import { runOptPoint, type OptPointSpec } from './opt-point.js';
import { runPoint, type PointSpec } from './point.js';

try {
  const spec = JSON.parse(process.argv[2] ?? '') as PointSpec | OptPointSpec;
  const result = 'kind' in spec && spec.kind === 'opt' ? await runOptPoint(spec) : await runPoint(spec as PointSpec);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} catch (e) {
  process.stderr.write(`${isUserError(e) ? `[${e.code}] ` : ''}${(e as Error).message}\n`);
  process.exitCode = isUserError(e) ? 1 : 2;
}
