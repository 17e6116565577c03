/**
 * Child-process entry of `tinypdm sweep`: runs one point (argv[2] = JSON
 * PointSpec) and reports on its last stdout line, as JSON, either
 * `{ ok: true, result }` or `{ ok: false, code, message, stack }` (code is the
 * TinyPdmError code, or null for a bug). The parent rebuilds the error from it.
 */
import { isUserError } from '../../util/index.js';
import { runOptPoint, type OptPointSpec } from './opt-point.js';
import { runPoint, type PointSpec } from './point.js';
import type { WorkerReport } from './worker-report.js';

let report: WorkerReport;
try {
  const spec = JSON.parse(process.argv[2] ?? '') as PointSpec | OptPointSpec;
  report = { ok: true, result: 'kind' in spec && spec.kind === 'opt' ? await runOptPoint(spec) : await runPoint(spec as PointSpec) };
} catch (e) {
  const err = e as Error;
  report = { ok: false, code: isUserError(e) ? e.code : null, message: err?.message ?? String(e), stack: err?.stack ?? '' };
}
process.stdout.write(`${JSON.stringify(report)}\n`);
