/**
 * One error model for the whole toolchain.
 *
 * A `TinyPdmError` is a *user* error: bad input, an unsupported layer, a model
 * that does not fit the board. Its message is one line that names the file,
 * layer or limit, the bad value, and what to do. The CLI prints it and exits 1.
 * Anything else that escapes is an internal bug: the CLI exits 2.
 *
 * Codes are stable strings so tests and scripts can match on them.
 */
export type ErrorCode =
  | 'BAD_ARGUMENT'
  | 'FILE_NOT_FOUND'
  | 'CORRUPT_FILE'
  | 'NOT_A_MODEL'
  | 'UNSUPPORTED_LAYER'
  | 'UNSUPPORTED_OP'
  | 'UNSUPPORTED_FORMAT'
  | 'MISSING_WEIGHTS'
  | 'MISSING_CALIBRATION'
  | 'SHAPE_MISMATCH'
  /** A graph whose wiring is broken: a cycle, a tensor produced twice or never, no inputs, a missing required input. */
  | 'INVALID_GRAPH'
  /** NaN or Infinity where numbers must be finite: weights, biases, calibration data, activations. */
  | 'NON_FINITE'
  | 'QUANTIZATION'
  | 'VERIFY_FAILED'
  | 'DOES_NOT_FIT'
  | 'BAD_WAV'
  | 'BAD_RATE'
  | 'BAD_DATASET'
  | 'MISSING_LABELS'
  | 'RUN_MISMATCH'
  | 'TOOL_MISSING'
  | 'TOOL_FAILED'
  | 'RESOURCE_LIMIT'
  // Output paths (src/util/output/): a destination tinypdm will not write.
  | 'OUTPUT_PATH'
  | 'OUTPUT_NOT_OURS'
  | 'OUTPUT_IS_INPUT'
  | 'OUTPUT_LOCKED'
  // Inputs (src/util/read-input.ts, src/util/confine.ts).
  | 'READ_FAILED'
  | 'PATH_OUTSIDE';

export class TinyPdmError extends Error {
  readonly code: ErrorCode;
  /** Exit code the CLI uses. User errors are 1. */
  readonly exitCode = 1;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    // A user error is one line: collapse any newline that sneaks in from data.
    super(message.replace(/\s*\n\s*/g, ' '), options);
    this.name = 'TinyPdmError';
    this.code = code;
  }
}

export function isUserError(e: unknown): e is TinyPdmError {
  return e instanceof TinyPdmError;
}

/** Throws a user error. Reads well in guard clauses: `cond || fail(...)`. */
export function fail(code: ErrorCode, message: string, cause?: unknown): never {
  throw new TinyPdmError(code, message, cause === undefined ? undefined : { cause });
}

/** A bug in tinypdm, not in its input: the CLI exits 2 and asks for a report. */
export class InternalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InternalError';
  }
}

/** An invariant of our own code, not of the input: a failure is a bug (exit 2). */
export function assertInternal(cond: unknown, message: string, cause?: unknown): asserts cond {
  if (!cond) throw new InternalError(message, cause === undefined ? undefined : { cause });
}
