import type { Graph, Op } from '../../ir/index.js';
import { opOf } from '../../ops/index.js';

/** OperatorCode.version of an op, from its descriptor (src/ops). */
export function opVersion(op: Op, graph: Graph): number {
  return opOf(op.kind).version(op, graph);
}
