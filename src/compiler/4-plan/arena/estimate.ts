import type { Graph } from '../../../ir/index.js';
import { fail } from '../../../util/index.js';
import { planArena, type ArenaPlan } from './plan.js';
import { persistentTail, planningTempBytes } from './persistent.js';
import { scratchRequests } from './scratch.js';
import { ARENA_TARGETS, type ArenaTarget } from './target.js';

export interface ArenaEstimate {
  target: ArenaTarget;
  /** The planned head (activations and scratch), or the planning temporaries if larger. */
  nonPersistentBytes: number;
  /** The persistent tail: TFLM's bookkeeping, kernel data, per-channel quantisation. */
  persistentBytes: number;
  /** Scratch buffers the kernels request; already inside nonPersistentBytes. */
  scratchBytes: number;
  /** What `arena_used_bytes()` should report after AllocateTensors: head + tail. An estimate. */
  totalBytes: number;
  /** Rows for the report, in bytes; they add up to totalBytes. */
  breakdown: Record<string, number>;
  plan: ArenaPlan;
}

/**
 * The tensor arena TFLM needs for `graph` (int8, one subgraph) on a 32-bit
 * Cortex-M4: the greedy head plan with the target's scratch buffers plus the
 * persistent tail. The head is exact under TFLM's planning rules; the tail is
 * an estimate whose constants are sourced in persistent.ts.
 */
export function estimateArena(graph: Graph, target: ArenaTarget): ArenaEstimate {
  if (!ARENA_TARGETS.includes(target)) {
    fail('BAD_ARGUMENT', `arena target ${JSON.stringify(target)} is unknown; use one of ${ARENA_TARGETS.join(', ')}`);
  }
  const plan = planArena(graph, { scratch: (op, _i, g) => scratchRequests(op, g, target) });
  const scratch = plan.buffers.filter((b) => b.tensorId < 0);
  const scratchBytes = scratch.reduce((s, b) => s + b.size, 0);
  const temps = planningTempBytes(graph.tensors.length, scratch.length, plan.buffers.length);
  const nonPersistentBytes = Math.max(plan.headBytes, temps);
  const tail = persistentTail(graph, target, scratch.length);
  const persistentBytes = (Object.values(tail) as number[]).reduce((s, v) => s + v, 0);
  const breakdown: Record<string, number> = {
    'activations and scratch (planned head)': nonPersistentBytes,
    'eval tensors (12 B per tensor)': tail.evalTensors,
    'nodes (44 B per op)': tail.nodes,
    'builtin op options': tail.builtinData,
    'kernel op data': tail.kernelData,
    'per-channel multipliers and shifts (8 B per output channel)': tail.perChannelQuant,
    'input/output TfLiteTensors': tail.ioTensors,
    'scratch buffer handles': tail.scratchHandles,
    'allocator objects (estimate)': tail.fixedObjects,
  };
  return { target, nonPersistentBytes, persistentBytes, scratchBytes, totalBytes: nonPersistentBytes + persistentBytes, breakdown, plan };
}
