import type { Builder } from 'flatbuffers';
import type { Graph, Op, OpKind, OpOptionsByKind } from '../../ir/index.js';
import type { BuiltinOperator, BuiltinOptions, Operator } from '../../tflite/index.js';

/** What an op's writer may look at besides its own options. */
export interface WriteContext {
  graph: Graph;
  op: Op;
}

/** Where the reader is, and how it reports a bad value there. */
export interface ReadContext {
  /** e.g. "operator 3 (CONV_2D)"; used in messages. */
  where: string;
  corrupt(what: string): never;
  unsupported(what: string): never;
}

/**
 * How one IR op kind maps to and from TFLite. One codec per op file; the table
 * in ./index.ts is typed by `OpKind`, so a new IR op without a codec does not
 * compile.
 */
export interface OpCodec<K extends OpKind> {
  kind: K;
  builtinCode: BuiltinOperator;
  /** The BuiltinOptions member the real converter writes; NONE when it writes none. */
  optionsType: BuiltinOptions;
  /** Allowed number of inputs (optional inputs count, as -1). */
  inputs: readonly [min: number, max: number];
  /** Serialises the options table; returns 0 when `optionsType` is NONE. */
  writeOptions(b: Builder, options: OpOptionsByKind[K], ctx: WriteContext): number;
  /** Reads the options; `op` carries `optionsType` or NONE (schema defaults apply). */
  readOptions(op: Operator, ctx: ReadContext): OpOptionsByKind[K];
}
