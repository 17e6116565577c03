import { fail } from '../../util/index.js';
import { cIdentifier } from '../../util/index.js';
import { bannerContext, renderTemplate } from './render.js';

export interface ModelDataOptions {
  /** C symbol of the array; `<symbol>_len` holds its length. Default `g_model`. */
  symbol?: string;
  /** The header the .cpp includes and whose name makes the include guard. Default `model_data.h`. */
  headerName?: string;
  /** The command line that produced the files, for the banner. */
  command: string;
  version: string;
}

export interface ModelDataFiles {
  'model_data.h': string;
  'model_data.cpp': string;
}

const BYTES_PER_LINE = 12;

/** `0x1f, 0x00, ...` rows, 12 bytes each; every row ends with a comma (valid in an initializer). */
const HEX_BYTE = Array.from({ length: 256 }, (_, b) => `0x${b.toString(16).padStart(2, '0')},`);

export function hexRows(bytes: Uint8Array, perLine = BYTES_PER_LINE): string[] {
  const rows: string[] = [];
  for (let i = 0; i < bytes.length; i += perLine) {
    const row: string[] = [];
    for (const b of bytes.subarray(i, i + perLine)) row.push(HEX_BYTE[b]!);
    rows.push(row.join(' '));
  }
  return rows;
}

/**
 * The model flatbuffer as a C++ array: `alignas(16) const unsigned char g_model[]`
 * and `const unsigned int g_model_len`, with `extern` declarations in the header
 * (they also give the `const` definitions external linkage in C++).
 */
export function emitModelData(modelBytes: Uint8Array, opts: ModelDataOptions): ModelDataFiles {
  const headerName = opts.headerName ?? 'model_data.h';
  // An #include name is not a string literal (no escapes apply), so only a plain file name is accepted.
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*\.(h|hpp|hh)$/.test(headerName)) {
    fail(
      'BAD_ARGUMENT',
      `header name ${JSON.stringify(headerName)} is not a plain file name; use letters, digits, '_', '-', '.' and end with .h`,
    );
  }
  if (modelBytes.length === 0) fail('BAD_ARGUMENT', 'model flatbuffer is empty; pass the bytes of a .tflite file');
  const symbol = cIdentifier(opts.symbol ?? 'g_model', 'g_model');
  const guard = `TINYPDM_${cIdentifier(headerName, 'model_data_h').toUpperCase()}_`;
  const context = {
    ...bannerContext({ version: opts.version, command: opts.command }),
    symbol,
    guard,
    headerName,
    length: modelBytes.length,
    lines: hexRows(modelBytes),
  };
  return {
    'model_data.h': renderTemplate('model_data.h', context),
    'model_data.cpp': renderTemplate('model_data.cpp', context),
  };
}
