import { fail } from '../../../util/index.js';

/**
 * Typed access to a Keras layer config (the JSON that Keras, tf.keras, Keras 3
 * and TF.js Layers all write). Every accessor names the layer and the field in
 * its error, so a malformed or unusual config fails with one clear line.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class LayerConfig {
  constructor(
    readonly layerName: string,
    readonly className: string,
    readonly raw: JsonObject,
  ) {}

  private where(field: string): string {
    return `layer '${this.layerName}' (${this.className}): config field '${field}'`;
  }

  has(field: string): boolean {
    return this.raw[field] !== undefined && this.raw[field] !== null;
  }

  string(field: string, fallback?: string): string {
    const v = this.raw[field];
    if ((v === undefined || v === null) && fallback !== undefined) return fallback;
    if (typeof v !== 'string') fail('NOT_A_MODEL', `${this.where(field)} should be a string, got ${JSON.stringify(v)}`);
    return v;
  }

  number(field: string, fallback?: number): number {
    const v = this.raw[field];
    if ((v === undefined || v === null) && fallback !== undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v))
      fail('NOT_A_MODEL', `${this.where(field)} should be a number, got ${JSON.stringify(v)}`);
    return v;
  }

  boolean(field: string, fallback: boolean): boolean {
    const v = this.raw[field];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') fail('NOT_A_MODEL', `${this.where(field)} should be true or false, got ${JSON.stringify(v)}`);
    return v;
  }

  /** Keras accepts `3` or `[3, 3]` for kernel sizes, strides, pool sizes and dilations. */
  intPair(field: string, fallback?: [number, number]): [number, number] {
    const v = this.raw[field];
    if ((v === undefined || v === null) && fallback !== undefined) return fallback;
    if (typeof v === 'number' && Number.isInteger(v) && v > 0) return [v, v];
    if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number' && Number.isInteger(x) && x > 0)) {
      return [v[0] as number, v[1] as number];
    }
    fail('NOT_A_MODEL', `${this.where(field)} should be a positive integer or a pair of them, got ${JSON.stringify(v)}`);
  }

  /** Every supported layer works on NHWC tensors, as TFLite does. */
  requireChannelsLast(): void {
    const format = this.raw['data_format'];
    if (format !== undefined && format !== null && format !== 'channels_last') {
      fail(
        'UNSUPPORTED_LAYER',
        `${this.where('data_format')} is ${JSON.stringify(format)}; only 'channels_last' (NHWC, as TFLite uses) is supported; rebuild the model with data_format='channels_last'`,
      );
    }
  }

  unsupported(what: string, fix: string): never {
    fail('UNSUPPORTED_LAYER', `layer '${this.layerName}' (${this.className}): ${what}; ${fix}`);
  }
}
