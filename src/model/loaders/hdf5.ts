import { fail, TinyPdmError } from '../../errors.js';

/**
 * A small, checked view of an HDF5 file through h5wasm (the HDF5 C library
 * compiled to wasm; its Node build reads host paths directly). Only what the
 * Keras loaders need: groups, string attributes and float datasets. Every
 * failure becomes a one-line TinyPdmError naming the file and the HDF5 path.
 */
type H5 = typeof import('h5wasm/node');
type H5Group = InstanceType<H5['Group']>;

let h5: Promise<H5> | undefined;

/** Loads h5wasm once; HDF5 errors then throw (with the library's diagnostics) instead of printing to stderr. */
function h5wasm(): Promise<H5> {
  h5 ??= import('h5wasm/node').then(async (m) => {
    const module = await m.ready;
    module.activate_throwing_error_handler();
    return m;
  });
  return h5;
}

/** The most specific line of an HDF5 diagnostic stack, e.g. "Not an HDF5 file" or "truncated file". */
function hdf5Reason(e: unknown): string {
  const text = String(e instanceof Error ? e.message : e);
  const minors = [...text.matchAll(/minor: ([^\n]+)/g)].map((m) => m[1]!.trim());
  return minors.at(-1) ?? text.split('\n')[0]!.slice(0, 120);
}

export class Hdf5File {
  private constructor(
    /** The name errors use (the user's file, or `archive.keras:model.weights.h5`). */
    readonly label: string,
    private readonly file: InstanceType<H5['File']>,
    private readonly lib: H5,
  ) {}

  static async open(p: string, label = p): Promise<Hdf5File> {
    const lib = await h5wasm();
    try {
      return new Hdf5File(label, new lib.File(p, 'r'), lib);
    } catch (e) {
      return fail('CORRUPT_FILE', `${label}: not a readable HDF5 file (${hdf5Reason(e)}); the file is damaged or truncated, save the model again`, e);
    }
  }

  close(): void {
    this.file.close();
  }

  /** Runs `read` with HDF5 errors turned into CORRUPT_FILE naming `where`. */
  private guard<T>(where: string, read: () => T): T {
    try {
      return read();
    } catch (e) {
      if (e instanceof TinyPdmError) throw e;
      return fail('CORRUPT_FILE', `${this.label}: cannot read '${where}' (${hdf5Reason(e)}); the file is damaged or truncated, save the model again`, e);
    }
  }

  private entity(p: string) {
    return this.guard(p, () => this.file.get(p));
  }

  isGroup(p: string): boolean {
    return this.entity(p) instanceof this.lib.Group;
  }

  isDataset(p: string): boolean {
    return this.entity(p) instanceof this.lib.Dataset;
  }

  /** Child names of a group ('' or '/' is the root); undefined when there is no such group. */
  keys(p: string): string[] | undefined {
    const g = p === '' || p === '/' ? this.file : this.entity(p);
    return g instanceof this.lib.Group ? this.guard(p, () => (g as H5Group).keys()) : undefined;
  }

  private attrsOf(p: string): Record<string, { value: unknown }> | undefined {
    const g = p === '' || p === '/' ? this.file : this.entity(p);
    if (!(g instanceof this.lib.Group) && !(g instanceof this.lib.Dataset)) return undefined;
    return this.guard(`${p}@attrs`, () => g.attrs);
  }

  /**
   * A string attribute. Keras writes bytes (h5py: fixed-length strings) or
   * str (variable-length); both arrive as JS strings.
   */
  stringAttr(p: string, name: string): string | undefined {
    const attr = this.attrsOf(p)?.[name];
    if (attr === undefined) return undefined;
    const v = this.guard(`${p}@${name}`, () => attr.value);
    if (typeof v === 'string') return v;
    if (v instanceof Uint8Array) return new TextDecoder().decode(v);
    return fail('CORRUPT_FILE', `${this.label}: attribute '${name}' of '${p || '/'}' should be a string, got ${describe(v)}; save the model again`);
  }

  /**
   * A list-of-strings attribute. Keras splits one larger than HDF5's 64 KB
   * attribute limit into `name0`, `name1`, ... (hdf5_format.save_attributes_to_hdf5_group).
   */
  stringListAttr(p: string, name: string): string[] | undefined {
    const attrs = this.attrsOf(p);
    if (!attrs) return undefined;
    const chunks = attrs[name] !== undefined ? [name] : [];
    if (chunks.length === 0) for (let i = 0; attrs[`${name}${i}`] !== undefined; i++) chunks.push(`${name}${i}`);
    if (chunks.length === 0) return undefined;
    return chunks.flatMap((c) => {
      const v = this.guard(`${p}@${c}`, () => attrs[c]!.value);
      const list = Array.isArray(v) ? v : typeof v === 'string' ? [v] : undefined;
      if (!list || !list.every((x) => typeof x === 'string')) {
        fail('CORRUPT_FILE', `${this.label}: attribute '${c}' of '${p || '/'}' should be a list of strings, got ${describe(v)}; save the model again`);
      }
      return list as string[];
    });
  }

  /** A float dataset as float32 with its shape; other types are refused naming the path. */
  floatDataset(p: string): { shape: number[]; data: Float32Array } {
    const d = this.entity(p);
    if (!(d instanceof this.lib.Dataset)) fail('MISSING_WEIGHTS', `${this.label}: no dataset at '${p}'; the weights are incomplete, save the model again`);
    const dataset = d as InstanceType<H5['Dataset']>;
    const shape = this.guard(p, () => dataset.shape) ?? [];
    const value = this.guard(p, () => dataset.value);
    if (value instanceof Float32Array) return { shape, data: value.slice() };
    if (value instanceof Float64Array) return { shape, data: Float32Array.from(value) };
    if (typeof value === 'number' && shape.length === 0) return { shape, data: Float32Array.of(value) };
    return fail(
      'UNSUPPORTED_FORMAT',
      `${this.label}: weight '${p}' has HDF5 type ${JSON.stringify(this.guard(p, () => dataset.dtype))}; only float32/float64 weights are supported (save the model with a float32 dtype policy, not mixed or bfloat16)`,
    );
  }
}

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? (v as object).constructor.name : typeof v;
}
