import { fail, isUserError } from '../errors.js';

/** Errors of the file system that are about where the output goes, not about tinypdm. */
const WRITE_PROBLEMS = new Set([
  'EACCES',
  'EPERM',
  'EROFS',
  'ENOSPC',
  'EDQUOT',
  'EEXIST',
  'ENOTDIR',
  'EISDIR',
  'ENAMETOOLONG',
  'EBUSY',
  'EXDEV',
  'ENOTEMPTY',
]);
/** Of those, the ones a command's own computation can only meet while writing its output. */
const FULL = new Set(['ENOSPC', 'EDQUOT', 'EROFS']);

/**
 * Runs a step of writing `--out given`, turning a file-system refusal into a
 * user error (exit 1) that names the destination. With `producing`, only a
 * full or read-only disk is translated: other errors of the command's own work
 * (reading an input, say) keep their own meaning.
 */
export async function asUserError<T>(given: string, step: () => T | Promise<T>, producing = false): Promise<T> {
  try {
    return await step();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException)?.code;
    if (isUserError(e) || typeof code !== 'string' || !(producing ? FULL : WRITE_PROBLEMS).has(code)) throw e;
    return fail('OUTPUT_PATH', `--out ${given}: cannot write there (${(e as Error).message}); free space or choose another --out`, e);
  }
}
