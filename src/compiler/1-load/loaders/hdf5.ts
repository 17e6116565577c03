import { randomUUID } from 'node:crypto';
import { rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { fail } from '../../../util/index.js';
import { checkMemory, maxBytes, readInput } from '../../../util/index.js';

/**
 * A small, checked view of an HDF5 file: groups, string attributes and float
 * datasets, which is all the Keras loaders need. The HDF5 C library (h5wasm)
 * runs in a worker thread (hdf5-worker.mjs) that reads the whole tree at once
 * into a plain snapshot, under a time budget: a damaged file can make HDF5
 * loop forever, and only a worker can be stopped. Every failure becomes a
 * one-line TinyPdmError naming the file and the HDF5 path, raised when that
 * path is used, so damage in parts a loader never reads does not matter.
 */
type Attr = { value: string | string[] | Uint8Array } | { other: string } | { error: string };
type Node =
  | { kind: 'group'; attrs?: Record<string, Attr>; children?: Record<string, Node>; error?: string }
  | {
      kind: 'dataset';
      attrs?: Record<string, Attr>;
      shape?: number[];
      dtype?: string;
      data?: Float32Array;
      needBytes?: number;
      error?: string;
    }
  | { kind: 'error'; error: string }
  | { kind: 'other' };
type Reply = { id: number; open?: string; root?: Node; retire: boolean; heapBytes: number };

/**
 * HDF5 reads a well-formed file of this size in well under a tenth of this
 * (about 10 ms for a small Keras model, 1 s for 100 MB on a loaded CI core).
 * Past it, the library is looping on a damaged structure.
 */
const BUDGET_BASE_MS = 10_000;
const BUDGET_MS_PER_MB = 100;

export class Hdf5File {
  private constructor(
    /** The name errors use (the user's file, or `archive.keras:model.weights.h5`). */
    readonly label: string,
    private readonly root: Node,
  ) {}

  /**
   * Reads `p` whole, leaving out the top-level groups in `skip` (e.g. optimizer state no loader needs).
   * The private copy is made from the bounded reader's bytes: a copy of a device or a FIFO would never end.
   */
  static async open(p: string, label = p, skip: readonly string[] = []): Promise<Hdf5File> {
    const bytes = await readInput(p, { what: 'the .h5 file', fix: "pass the model saved with model.save('model.h5')" });
    return Hdf5File.fromBytes(bytes, label, skip);
  }

  /** The same for a file already in memory (e.g. the weights inside a .keras archive). */
  static async fromBytes(bytes: Uint8Array, label: string, skip: readonly string[] = []): Promise<Hdf5File> {
    return Hdf5File.fromPrivateCopy((copy) => writeFile(copy, bytes), label, skip);
  }

  /**
   * HDF5 reads a private copy: a fresh file (inode) for every read, so a file
   * HDF5 failed to close after an earlier error never stands in for this one
   * (HDF5 recognises an open file by its inode), and the user's file is never
   * touched by the library.
   */
  private static async fromPrivateCopy(write: (copy: string) => Promise<void>, label: string, skip: readonly string[]): Promise<Hdf5File> {
    const copy = path.join(tmpdir(), `tinypdm-hdf5-${process.pid}-${randomUUID()}.h5`);
    try {
      await write(copy);
      return await Hdf5File.read(copy, label, skip);
    } finally {
      await rm(copy, { force: true });
    }
  }

  private static async read(p: string, label: string, skip: readonly string[]): Promise<Hdf5File> {
    const fileBytes = (await stat(p)).size;
    const budgetMs = BUDGET_BASE_MS + (fileBytes / 2 ** 20) * BUDGET_MS_PER_MB;
    const reply = await hdf5Worker.read({ path: p, skip: [...skip], fileBytes, maxBytes: maxBytes() }, budgetMs).catch((e: unknown) => {
      if (e instanceof WorkerTimeout) {
        fail(
          'CORRUPT_FILE',
          `${label}: the HDF5 library did not finish reading it in ${(budgetMs / 1000).toFixed(0)} s, so its structure is damaged (HDF5 loops on some broken files); save the model again`,
        );
      }
      throw e;
    });
    if (reply.open !== undefined || !reply.root) {
      fail('CORRUPT_FILE', `${label}: not a readable HDF5 file (${reply.open}); the file is damaged or truncated, save the model again`);
    }
    return new Hdf5File(label, reply.root);
  }

  private corrupt(where: string, reason: string): never {
    return fail(
      'CORRUPT_FILE',
      `${this.label}: cannot read '${where}' (${reason}); the file is damaged or truncated, save the model again`,
    );
  }

  /** The object at `p` ('' or '/' is the root); undefined when there is none. */
  private entity(p: string): Node | undefined {
    let node: Node = this.root;
    const parts = p.split('/').filter((part) => part !== '');
    for (const [i, part] of parts.entries()) {
      if (node.kind === 'error') this.corrupt(parts.slice(0, i).join('/'), node.error);
      if (node.kind !== 'group') return undefined;
      if (node.error !== undefined) this.corrupt(parts.slice(0, i).join('/') || '/', node.error);
      const child: Node | undefined = Object.hasOwn(node.children ?? {}, part) ? node.children![part] : undefined;
      if (!child) return undefined;
      node = child;
    }
    if (node.kind === 'error') this.corrupt(p, node.error);
    return node;
  }

  isGroup(p: string): boolean {
    return this.entity(p)?.kind === 'group';
  }

  isDataset(p: string): boolean {
    return this.entity(p)?.kind === 'dataset';
  }

  /** Child names of a group ('' or '/' is the root); undefined when there is no such group. */
  keys(p: string): string[] | undefined {
    const g = this.entity(p);
    if (g?.kind !== 'group') return undefined;
    if (g.error !== undefined) this.corrupt(p || '/', g.error);
    return Object.keys(g.children ?? {});
  }

  private attrsOf(p: string): Record<string, Attr> | undefined {
    const e = this.entity(p);
    if (e?.kind !== 'group' && e?.kind !== 'dataset') return undefined;
    if (!e.attrs) this.corrupt(`${p}@attrs`, e.error ?? 'no attributes');
    return e.attrs;
  }

  private attrValue(p: string, name: string, attr: Attr): unknown {
    if ('error' in attr) this.corrupt(`${p}@${name}`, attr.error);
    return 'value' in attr ? attr.value : { describe: attr.other };
  }

  /**
   * A string attribute. Keras writes bytes (h5py: fixed-length strings) or
   * str (variable-length); both arrive as JS strings.
   */
  stringAttr(p: string, name: string): string | undefined {
    const attrs = this.attrsOf(p);
    if (!attrs || !Object.hasOwn(attrs, name)) return undefined;
    const v = this.attrValue(p, name, attrs[name]!);
    if (typeof v === 'string') return v;
    if (v instanceof Uint8Array) return new TextDecoder().decode(v);
    return fail(
      'CORRUPT_FILE',
      `${this.label}: attribute '${name}' of '${p || '/'}' should be a string, got ${describe(v)}; save the model again`,
    );
  }

  /**
   * A list-of-strings attribute. Keras splits one larger than HDF5's 64 KB
   * attribute limit into `name0`, `name1`, ... (hdf5_format.save_attributes_to_hdf5_group).
   */
  stringListAttr(p: string, name: string): string[] | undefined {
    const attrs = this.attrsOf(p);
    if (!attrs) return undefined;
    const chunks = Object.hasOwn(attrs, name) ? [name] : [];
    if (chunks.length === 0) for (let i = 0; Object.hasOwn(attrs, `${name}${i}`); i++) chunks.push(`${name}${i}`);
    if (chunks.length === 0) return undefined;
    return chunks.flatMap((c) => {
      const v = this.attrValue(p, c, attrs[c]!);
      const list = Array.isArray(v) ? v : typeof v === 'string' ? [v] : undefined;
      if (!list || !list.every((x) => typeof x === 'string')) {
        fail(
          'CORRUPT_FILE',
          `${this.label}: attribute '${c}' of '${p || '/'}' should be a list of strings, got ${describe(v)}; save the model again`,
        );
      }
      return list;
    });
  }

  /** A float dataset as float32 with its shape; other types are refused naming the path. */
  floatDataset(p: string): { shape: number[]; data: Float32Array } {
    const d = this.entity(p);
    if (d?.kind !== 'dataset')
      return fail('MISSING_WEIGHTS', `${this.label}: no dataset at '${p}'; the weights are incomplete, save the model again`);
    if (d.error !== undefined) this.corrupt(p, d.error);
    const shape = d.shape ?? [];
    if (d.needBytes !== undefined)
      checkMemory(d.needBytes, `${this.label}: weight '${p}' [${shape.join(', ')}] with the weights read before it`);
    if (d.data) return { shape, data: d.data };
    return fail(
      'UNSUPPORTED_FORMAT',
      `${this.label}: weight '${p}' has HDF5 type ${d.dtype}; only float32/float64 weights are supported (save the model with a float32 dtype policy, not mixed or bfloat16)`,
    );
  }
}

function describe(v: unknown): string {
  if (v && typeof v === 'object' && 'describe' in v) return String(v.describe);
  return v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? v.constructor.name : typeof v;
}

class WorkerTimeout extends Error {}

/**
 * One long-lived worker, reused across files (starting one loads 4 MB of
 * wasm), unref'd while idle so it never keeps the process alive. Requests run
 * one at a time; a request over its budget terminates the worker, and the
 * next request starts a fresh one.
 */
class Hdf5WorkerClient {
  private worker: Worker | undefined;
  private started: Promise<Worker> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 0;
  /** The largest wasm heap any worker reported after a file (HDF5's allocations grow it; it never shrinks). */
  peakHeapBytes = 0;
  /**
   * What the workers did, for tests that must see a hang without timing one:
   * files read, workers started, and workers stopped because a file ran past
   * its time budget (each of those is reported to the caller as CORRUPT_FILE).
   */
  readonly stats = { reads: 0, starts: 0, budgetStops: 0 };

  read(request: { path: string; skip: string[]; fileBytes: number; maxBytes: number }, budgetMs: number): Promise<Reply> {
    const run = this.queue.then(() => this.send(request, budgetMs));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private start(): Promise<Worker> {
    this.started ??= new Promise<Worker>((resolve, reject) => {
      this.stats.starts++;
      const worker = new Worker(new URL('./hdf5-worker.mjs', import.meta.url));
      this.worker = worker;
      worker.once('message', () => resolve(worker));
      worker.once('error', reject);
      worker.once('exit', (code) => {
        reject(new Error(`the HDF5 worker exited with code ${code} while starting`));
        if (this.worker === worker) this.forget();
      });
    });
    return this.started;
  }

  private forget(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.started = undefined;
    void worker?.terminate();
  }

  private async send(request: object, budgetMs: number): Promise<Reply> {
    const worker = await this.start();
    const id = this.nextId++;
    worker.ref();
    try {
      return await new Promise<Reply>((resolve, reject) => {
        this.stats.reads++;
        const timer = setTimeout(() => {
          done();
          this.stats.budgetStops++;
          this.forget();
          reject(new WorkerTimeout());
        }, budgetMs);
        const done = () => {
          clearTimeout(timer);
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
        };
        const onMessage = (reply: Reply) => {
          if (reply.id !== id) return;
          done();
          this.peakHeapBytes = Math.max(this.peakHeapBytes, reply.heapBytes);
          // After a wasm trap (HDF5's memory may be inconsistent) or too many files HDF5 left open, the next file gets a fresh worker.
          if (reply.retire) this.forget();
          resolve(reply);
        };
        const onError = (e: Error) => {
          done();
          this.forget();
          reject(new Error(`the HDF5 worker failed: ${e.message}`, { cause: e }));
        };
        const onExit = (code: number) => {
          done();
          this.forget();
          reject(new Error(`the HDF5 worker exited with code ${code}`));
        };
        worker.on('message', onMessage);
        worker.once('error', onError);
        worker.once('exit', onExit);
        worker.postMessage({ id, ...request });
      });
    } finally {
      worker.unref();
    }
  }
}

export const hdf5Worker = new Hdf5WorkerClient();
