// The HDF5 side of src/model/loaders/hdf5.ts, run in a worker thread.
//
// Why a worker: the HDF5 C library (here as h5wasm) loops forever on some
// damaged files (the Keras fuzz suite found one: a zeroed free-space size in a
// global heap collection; native h5py hangs on it too). A loop inside wasm
// cannot be interrupted from its own thread, but a worker can be terminated.
//
// Why plain JavaScript: the worker must start under plain Node, whatever
// loader (tsx, vitest) runs the TypeScript of the main thread.
//
// For each request the worker opens the file read-only, walks every group
// (except the top-level ones the caller skips), and answers with a snapshot:
// each object's attributes, and each dataset's shape and float values. What
// cannot be read is recorded as an error on that object, so the caller fails
// only when it needs it. Sizes are checked before anything is read: an
// attribute or unfiltered dataset cannot hold more bytes than the file, and
// all values together stay under the caller's memory cap.
import { parentPort } from 'node:worker_threads';

// Emscripten prints its own diagnostics (damaged strings, failed heap growth)
// to the console it finds when h5wasm loads; every failure reaches the caller
// as a reason instead, so the user's terminal stays clean.
console.warn = () => undefined;
console.error = () => undefined;
const h5 = await import('h5wasm/node');

/**
 * h5wasm unwinds through its own C++ on an HDF5 error without closing what it
 * opened, so a damaged file can stay open inside HDF5 after close(). The
 * caller hands each file over as a private copy (a fresh inode, held by the
 * leaked descriptor), so a stale open file never answers for a later one; after
 * this many leaked files the worker releases their descriptors and retires.
 */
const MAX_LEAKED_FILES = 128;

/** Keras nests `layers/<model>/layers/<layer>/vars/<i>`: far below these; a file above them is damaged or cyclic. */
const MAX_DEPTH = 32;
const MAX_OBJECTS = 100_000;
const H5T_FLOAT = 1;

const MiB = 1024 ** 2;
/** Room for HDF5's own structures and caches while reading one small file. */
const HEAP_SLACK = 64 * MiB;
/** A worker whose heap has grown past this (wasm memory never shrinks) retires after the file. */
const RETIRE_HEAP = 192 * MiB;

// HDF5 allocates what a file claims before reading it (e.g. the length of a
// variable-length string: the fuzz suite found a 5-byte string claiming 1.2 GB).
// Those sizes are not visible through h5wasm beforehand, so the wasm heap
// itself gets a ceiling per file: past it, growing fails, malloc returns NULL,
// and HDF5 reports an allocation error for that object.
let heapCeiling = Infinity;
const grow = WebAssembly.Memory.prototype.grow;
WebAssembly.Memory.prototype.grow = function (pages) {
  if (this.buffer.byteLength + pages * 65536 > heapCeiling) throw new RangeError('over the heap ceiling for this file');
  return grow.call(this, pages);
};

const lib = await h5.ready;
// HDF5 opens other files on its own: a dataset's values may live in "external
// files" named inside the file (H5Pset_external), and h5wasm's file system is
// the real one. A model file handed to a user must not make tinypdm read
// ~/.ssh/id_rsa (or /dev/zero) into its weights, so the library may open for
// reading the private copy it was asked to read and nothing else; every other
// existing file is refused and recorded, and the object that needed it is
// reported with it. Two opens stay allowed because they cannot return another
// file's bytes: creating a new file exclusively (O_CREAT | O_EXCL fails on any
// existing path, symlinks included: h5wasm's error handler formats each HDF5
// error through such a temp file), and listing a folder (O_DIRECTORY fails on
// a file: HDF5 looks for filter plugins that way).
const O_CREAT = 0o100;
const O_EXCL = 0o200;
const O_DIRECTORY = 0o200000; // musl's values, which emscripten uses
let allowedPath;
let refusedPaths = [];
const open = h5.FS.open;
h5.FS.open = function (p, flags, ...rest) {
  const creates = typeof flags === 'number' && (flags & (O_CREAT | O_EXCL)) === (O_CREAT | O_EXCL);
  const lists = typeof flags === 'number' && (flags & O_DIRECTORY) !== 0;
  if (p !== allowedPath && !creates && !lists) {
    refusedPaths.push(String(p));
    throw new h5.FS.ErrnoError(2); // EACCES in emscripten's errno numbering
  }
  return open.call(this, p, flags, ...rest);
};

// HDF5 errors throw (with the library's diagnostics) instead of printing to stderr.
lib.activate_throwing_error_handler();

/** The most specific line of an HDF5 diagnostic stack, e.g. "Not an HDF5 file" or "truncated file". */
function reason(e) {
  const text = String(e instanceof Error ? e.message : e);
  const minors = [...text.matchAll(/minor: ([^\n]+)/g)].map((m) => m[1].trim());
  return minors.at(-1) ?? text.split('\n')[0].slice(0, 120);
}

function describe(v) {
  return v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? v.constructor.name : typeof v;
}

class Walk {
  constructor(fileBytes, maxBytes) {
    this.fileBytes = fileBytes;
    this.maxBytes = maxBytes;
    this.valueBytes = 0;
    this.objects = 0;
    /** A wasm trap (not an HDF5 error) may leave the module's memory inconsistent: the caller replaces this worker. */
    this.trapped = false;
  }

  /** Runs `read`, turning a throw into `{ error }`. */
  guard(read) {
    try {
      return read();
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError) this.trapped = true;
      return { error: reason(e) };
    }
  }

  attrs(entity) {
    return this.guard(() => {
      const out = {};
      const attrs = entity.attrs;
      // Each attribute is a getter that reads its metadata: one damaged attribute must not hide the others.
      for (const name of Object.keys(attrs)) {
        out[name] = this.guard(() => {
          const attr = attrs[name];
          const { size, total_size: count, vlen } = attr.metadata;
          // Fixed-size values are stored in the object header, variable-length ones as references of 16 bytes each.
          if (!Number.isSafeInteger(count) || count > this.fileBytes || (!vlen && size * count > this.fileBytes)) {
            return { error: `attribute claims ${count} values of ${size} bytes, more than the file holds` };
          }
          const v = attr.value;
          // Keras 2 stores an empty list attribute (the weight_names of a layer without weights) as
          // np.asarray([]), an empty float64 array: no values, so an empty list, whatever its type.
          if (ArrayBuffer.isView(v) && v.length === 0) return { value: [] };
          if (typeof v === 'string' || v instanceof Uint8Array || (Array.isArray(v) && v.every((x) => typeof x === 'string')))
            return { value: v };
          return { other: describe(v) };
        });
      }
      return { attrs: out };
    });
  }

  dataset(d) {
    return this.guard(() => {
      const meta = d.metadata;
      const shape = meta.shape ?? [];
      const dtype = JSON.stringify(d.dtype);
      if (meta.type !== H5T_FLOAT || (meta.size !== 4 && meta.size !== 8) || meta.shape === null) return { shape, dtype };
      if (!shape.every((n) => Number.isSafeInteger(n) && n >= 0)) return { error: `shape [${shape.join(', ')}] is not a list of sizes` };
      const count = shape.reduce((a, b) => a * b, 1);
      const bytes = count * meta.size;
      const filters = d.filters;
      // Without compression the values are stored as they are, so they fit in the file.
      if (filters.length === 0 && bytes > this.fileBytes) {
        return { error: `dataset claims ${count} values (${bytes} bytes) but the whole file is ${this.fileBytes} bytes` };
      }
      // h5wasm holds the raw values, then its copy, then our float32 copy.
      const need = this.valueBytes + 2 * bytes + 4 * count;
      if (!(need <= this.maxBytes)) return { shape, dtype, needBytes: need };
      this.valueBytes += bytes + 4 * count;
      // Compressed values may decode past the file's size: within the cap just checked, the heap may hold them.
      heapCeiling = Math.max(heapCeiling, lib.HEAPU8.byteLength + bytes + HEAP_SLACK);
      refusedPaths = [];
      let v;
      try {
        v = d.value;
      } catch (e) {
        const other = refusedPaths[0];
        if (other !== undefined) {
          return { error: `its values are stored in another file, ${JSON.stringify(other)}; tinypdm reads only the model file itself` };
        }
        throw e;
      }
      const data =
        v instanceof Float32Array
          ? v
          : v instanceof Float64Array
            ? Float32Array.from(v)
            : typeof v === 'number'
              ? Float32Array.of(v)
              : undefined;
      if (!data || data.length !== count)
        return { error: `read ${data ? data.length : describe(v)} values for shape [${shape.join(', ')}]` };
      return { shape, dtype, data };
    });
  }

  node(entity, depth) {
    if (++this.objects > MAX_OBJECTS) return { kind: 'error', error: `more than ${MAX_OBJECTS} objects` };
    if (depth > MAX_DEPTH) return { kind: 'error', error: `groups nested deeper than ${MAX_DEPTH}` };
    if (entity instanceof h5.Group) {
      const children = this.guard(() => {
        const out = {};
        for (const name of entity.keys()) out[name] = this.child(entity, name, depth);
        return { children: out };
      });
      return { kind: 'group', ...this.attrs(entity), ...children };
    }
    if (entity instanceof h5.Dataset) return { kind: 'dataset', ...this.attrs(entity), ...this.dataset(entity) };
    return { kind: 'other' };
  }

  child(group, name, depth) {
    const got = this.guard(() => ({ entity: group.get(name) }));
    if (got.error !== undefined) return { kind: 'error', error: got.error };
    return got.entity === null ? { kind: 'other' } : this.node(got.entity, depth + 1);
  }
}

function snapshot({ path, skip, fileBytes, maxBytes }) {
  heapCeiling = lib.HEAPU8.byteLength + HEAP_SLACK + 2 * fileBytes;
  allowedPath = path;
  let file;
  try {
    file = new h5.File(path, 'r');
  } catch (e) {
    return { open: reason(e), trapped: e instanceof WebAssembly.RuntimeError };
  }
  const walk = new Walk(fileBytes, maxBytes);
  try {
    const root = { kind: 'group', ...walk.attrs(file) };
    const children = walk.guard(() => {
      const out = {};
      for (const name of file.keys()) if (!skip.includes(name)) out[name] = walk.child(file, name, 0);
      return { children: out };
    });
    return { root: { ...root, ...children }, trapped: walk.trapped };
  } finally {
    walk.guard(() => file.close());
  }
}

/** Files HDF5 still holds open (emscripten's FS streams beyond stdin, stdout and stderr). */
const openFiles = () => h5.FS.streams.filter((s) => s && s.fd > 2);

parentPort.on('message', (request) => {
  const reply = snapshot(request);
  const retire = reply.trapped || openFiles().length >= MAX_LEAKED_FILES || lib.HEAPU8.byteLength > RETIRE_HEAP;
  if (retire) for (const s of openFiles()) quietly(() => h5.FS.close(s));
  parentPort.postMessage({ id: request.id, ...reply, retire, heapBytes: lib.HEAPU8.byteLength });
});

function quietly(run) {
  try {
    run();
  } catch {
    // The worker is retiring; a descriptor that will not close goes with it.
  }
}
parentPort.postMessage({ ready: true });
