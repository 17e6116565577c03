import { Builder, ByteBuffer } from 'flatbuffers';
import { BuiltinOptions, type Operator } from '../../tflite/index.js';

interface GeneratedTable<T> {
  new (): T;
}

type Initialisable<T> = T & { __init(i: number, bb: ByteBuffer): T };

/**
 * An empty table: every accessor on it returns the schema's default. Used when
 * an operator has no options table, so defaults come from the generated code
 * (i.e. from the .fbs) instead of a second hand-kept list.
 */
let emptyTable: { bb: ByteBuffer; pos: number } | undefined;

function defaultsOf<T>(cls: GeneratedTable<T>): T {
  if (!emptyTable) {
    const b = new Builder(16);
    b.startObject(0);
    b.finish(b.endObject());
    const bb = new ByteBuffer(b.asUint8Array());
    emptyTable = { bb, pos: bb.readInt32(bb.position()) + bb.position() };
  }
  return (new cls() as Initialisable<T>).__init(emptyTable.pos, emptyTable.bb);
}

/**
 * The operator's options table, or a defaults-only table when it has none. The
 * reader has already checked that the union type is this op's type or NONE.
 */
export function optionsOrDefaults<T>(op: Operator, cls: GeneratedTable<T>): T {
  if (op.builtinOptionsType() === BuiltinOptions.NONE) return defaultsOf(cls);
  return op.builtinOptions(new cls()) as T;
}
