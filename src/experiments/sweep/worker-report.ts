import { TinyPdmError, type ErrorCode } from '../../util/index.js';
import type { OptPointResult } from './opt-point.js';
import type { PointResult } from './point.js';

/** What a sweep worker process prints as its last stdout line (see worker.ts). */
export type WorkerReport =
  { ok: true; result: PointResult | OptPointResult } | { ok: false; code: ErrorCode | null; message: string; stack: string };

/**
 * The point's result, or its error rebuilt in this process: a user error
 * keeps its code and message; a bug in the worker becomes an internal error
 * whose cause carries the worker's stack. `what` names the point.
 */
export function resultOfWorker(what: string, stdout: string, exitCode: number | undefined, stderr: string): PointResult | OptPointResult {
  const last = stdout.trim().split('\n').pop() ?? '';
  let report: WorkerReport | undefined;
  try {
    report = JSON.parse(last) as WorkerReport;
  } catch {
    report = undefined;
  }
  if (report?.ok === true) return report.result;
  if (report?.ok === false) {
    const cause = Object.assign(new Error(report.message), { stack: report.stack });
    if (report.code !== null) throw new TinyPdmError(report.code, report.message, { cause });
    throw new Error(`${what} failed: ${report.message}`, { cause });
  }
  // No report: the process died (out of memory, killed).
  throw new Error(`${what} ended without a report (exit ${exitCode ?? 'signal'}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
}
