import { fail } from './errors.js';
import { writeOutputFile, type OutputInput } from './output/index.js';
import { checkMemory } from './limits.js';
import { readInput } from './read-input.js';

/**
 * NumPy .npy files (format versions 1–3), the exchange format for
 * calibration inputs and features. Values come back as float32 because every
 * consumer (calibration, training) works in float32.
 */
export interface NpyArray {
  shape: number[];
  data: Float32Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const DTYPES: Record<string, { bytes: number; read: (v: DataView, o: number) => number }> = {
  '<f4': { bytes: 4, read: (v, o) => v.getFloat32(o, true) },
  '<f8': { bytes: 8, read: (v, o) => v.getFloat64(o, true) },
  '|i1': { bytes: 1, read: (v, o) => v.getInt8(o) },
  '|u1': { bytes: 1, read: (v, o) => v.getUint8(o) },
  '<i2': { bytes: 2, read: (v, o) => v.getInt16(o, true) },
  '<i4': { bytes: 4, read: (v, o) => v.getInt32(o, true) },
};

export function parseNpy(bytes: Uint8Array, fileName: string): NpyArray {
  const bad = (why: string): never =>
    fail('CORRUPT_FILE', `${fileName}: not a valid .npy file (${why}); save it with numpy.save(path, array.astype('float32'))`);
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) bad('missing \\x93NUMPY magic');
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let headerStart: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) bad('truncated header');
    headerLen = view.getUint32(8, true);
    headerStart = 12;
  } else {
    return bad(`unknown format version ${major}`);
  }
  if (headerStart + headerLen > bytes.length) bad('header runs past the end of the file');
  const header = new TextDecoder().decode(bytes.subarray(headerStart, headerStart + headerLen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) return bad('header lacks descr, fortran_order or shape');
  if (fortran === 'True') bad('Fortran order is not supported; save np.ascontiguousarray(array)');
  const key = descr === '<i1' ? '|i1' : descr === '<u1' ? '|u1' : descr;
  // Own keys only: a descr of '__proto__' or 'constructor' must not find Object's members.
  const dtype = Object.hasOwn(DTYPES, key) ? DTYPES[key] : undefined;
  if (!dtype) return bad(`dtype ${descr} is not supported (use float32, float64, int8, uint8, int16 or int32)`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => (/^\d+$/.test(s) ? Number(s) : bad(`bad shape entry '${s}'`)));
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = headerStart + headerLen;
  // Check the claimed size against the bytes present before allocating anything.
  if (!Number.isSafeInteger(count) || count * dtype.bytes !== bytes.length - dataStart) {
    bad(`shape (${shape.join(', ')}) needs ${count * dtype.bytes} data bytes but the file holds ${bytes.length - dataStart}`);
  }
  // Values are widened to float32: an int8 file needs 4x its size once decoded.
  checkMemory(count * 4, `${fileName}: shape (${shape.join(', ')}) as float32`);
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = dtype.read(view, dataStart + i * dtype.bytes);
  return { shape, data };
}

export async function readNpy(path: string): Promise<NpyArray> {
  return parseNpy(await readInput(path, { what: 'the .npy file', fix: 'check the path' }), path);
}

/** float32 .npy, format 1.0, header padded to 64 bytes as numpy does. */
export function encodeNpy(shape: readonly number[], data: Float32Array): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.length * 4);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  const view = new DataView(out.buffer, 10 + header.length);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i]!, true);
  return out;
}

/** Any .npy: the kind of file `writeNpy` may replace (src/util/output/). */
export const NPY_FILE = { what: 'a .npy file', test: (head: Uint8Array) => MAGIC.every((b, i) => head[i] === b) };

/**
 * An output .npy (src/util/output/: written beside and renamed; never over one
 * of `inputs`, a folder, or an existing file that is not a .npy).
 */
export async function writeNpy(
  file: string,
  shape: readonly number[],
  data: Float32Array,
  opts: { inputs?: ReadonlyArray<OutputInput | undefined>; signal?: AbortSignal } = {},
): Promise<void> {
  await writeOutputFile({ dest: file, replaces: NPY_FILE, ...opts }, encodeNpy(shape, data));
}
