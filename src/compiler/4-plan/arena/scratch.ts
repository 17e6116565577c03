import type { Graph, Op } from '../../../ir/index.js';
import { opOf } from '../../../ops/index.js';
import type { ArenaTarget } from './target.js';

/**
 * Scratch buffers the kernels request in Prepare (RequestScratchBufferInArena),
 * in request order, for int8 graphs: each op's rule on each kernel set lives in
 * its descriptor (src/ops/<op>.ts, helpers in src/ops/tflm.ts).
 */
export function scratchRequests(op: Op, graph: Graph, target: ArenaTarget): number[] {
  return opOf(op.kind).tflm.scratch[target](op, graph);
}
