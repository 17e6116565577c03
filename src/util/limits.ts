import { fail } from './errors.js';

/**
 * Resource limits: a model or an input whose memory needs exceed a cap is
 * refused with RESOURCE_LIMIT *before* anything is allocated or computed from
 * it, with the numbers and the fix in the message.
 *
 * The cap is one number of bytes, set by the environment variable
 * `TINYPDM_MAX_BYTES` (plain bytes or with a binary suffix: `512M`, `4G`).
 * An environment variable rather than a flag so that every command and every
 * reader (which run deep inside stages that never see CLI flags) obeys the
 * same cap without threading it through each call.
 *
 * Each check is an estimate of what a stage will hold at once (e.g. the
 * calibration run keeps every activation of one sample in float32), not the
 * process's whole footprint.
 */
export const MAX_BYTES_ENV = 'TINYPDM_MAX_BYTES';

/** 2 GiB: the paper's full feature set (1800 clips x 256 x 470 float32, 866 MB) fits; a hostile header claiming terabytes does not. */
export const DEFAULT_MAX_BYTES = 2 * 1024 ** 3;

const SUFFIX: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** The configured cap in bytes; a malformed value is a user error naming the variable. */
export function maxBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[MAX_BYTES_ENV];
  if (raw === undefined || raw.trim() === '') return DEFAULT_MAX_BYTES;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?\s*$/i.exec(raw);
  const bytes = m ? Math.floor(Number(m[1]) * SUFFIX[m[2]!.toUpperCase()]!) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes <= 0) {
    fail(
      'BAD_ARGUMENT',
      `${MAX_BYTES_ENV}=${JSON.stringify(raw)} is not a size; set it to a positive number of bytes, optionally with K, M, G or T (e.g. ${MAX_BYTES_ENV}=4G)`,
    );
  }
  return bytes;
}

/**
 * Refuses `needBytes` over the cap. `what` names the file and the thing
 * measured, e.g. "calib.npy: shape (10, 64, 48, 1) as float32".
 * Non-finite or unsafe sizes (from products of hostile dimensions) count as over.
 */
export function checkMemory(needBytes: number, what: string, env: NodeJS.ProcessEnv = process.env): void {
  const cap = maxBytes(env);
  if (Number.isFinite(needBytes) && needBytes <= cap) return;
  const need = Number.isFinite(needBytes)
    ? `${formatBytes(needBytes)} (${Math.round(needBytes)} bytes)`
    : 'more memory than can be counted';
  fail(
    'RESOURCE_LIMIT',
    `${what} needs ${need}, over the ${formatBytes(cap)} limit (${cap} bytes); use a smaller input, or raise the limit with ${MAX_BYTES_ENV} (e.g. ${MAX_BYTES_ENV}=${suggestCap(needBytes)})`,
  );
}

/** Bytes as a short binary-prefixed number, locale-independent (deterministic in messages). */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${Math.round(v)} B` : `${v.toFixed(1)} ${units[u]}`;
}

function suggestCap(needBytes: number): string {
  if (!Number.isFinite(needBytes)) return '8G';
  return `${Math.max(1, Math.ceil(needBytes / 1024 ** 3))}G`;
}
