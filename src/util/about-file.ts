import { TinyPdmError } from './errors.js';

/**
 * Runs `work` on the contents of `file`. Low-level stages (resampling, the
 * Mel front-end) know samples, not files; a user error they raise about the
 * data gets the file's name in front, so every error about an input names it
 * (`data/normal/x.wav: resample: 1 samples at 48000 Hz give no samples ...`).
 * Errors that already name the file, and internal errors, pass unchanged.
 */
export function aboutFile<T>(file: string, work: () => T): T {
  try {
    return work();
  } catch (e) {
    if (e instanceof TinyPdmError && !e.message.includes(file)) throw new TinyPdmError(e.code, `${file}: ${e.message}`, { cause: e });
    throw e;
  }
}
