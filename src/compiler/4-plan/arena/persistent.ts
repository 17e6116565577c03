import type { Graph, Op } from '../../../ir/index.js';
import { OPS } from '../../../ops/index.js';
import type { ArenaTarget } from './target.js';

/**
 * The arena's persistent tail on a 32-bit Cortex-M4, for TFLM as synced into
 * the Arduino library in February 2023 (tflite-micro 82f593c1).
 *
 * "measured": sizeof() of TFLM's C structs (tensorflow/lite/core/c/common.h,
 * builtin_op_data.h at that commit) compiled with arm-none-eabi-gcc
 * -mcpu=cortex-m4 -fno-short-enums. "counted": fields of a C++ struct added up
 * by hand from the named file. "estimate": C++ classes with vtables, not
 * measured; the error is a few bytes each.
 */

/** measured: sizeof(TfLiteEvalTensor); micro_allocator.cc AllocateTfLiteEvalTensors makes one per tensor, constants included. */
export const EVAL_TENSOR_BYTES = 12;
/** measured: sizeof(TfLiteTensor); micro_interpreter.cc AllocateTensors keeps one persistent TfLiteTensor per graph input and output. */
export const TFLITE_TENSOR_BYTES = 64;
/** measured: sizeof(TfLiteAffineQuantization), plus the zero-point TfLiteIntArray copied for a per-tensor int8 input/output (4 + 4). */
export const IO_QUANT_BYTES = 12 + 8;
/** measured: sizeof(TfLiteNode) 40 + the registration pointer of NodeAndRegistration (micro_allocator.h). */
export const NODE_BYTES = 44;
/** counted: ScratchBufferHandle holds one pointer (micro_allocator.h). */
export const SCRATCH_HANDLE_BYTES = 4;
/** counted: SubgraphAllocations holds two pointers, one per subgraph (micro_allocator.h). */
export const SUBGRAPH_BYTES = 8;
/**
 * estimate: the objects MicroAllocator::Create places in the tail:
 * SingleArenaBufferAllocator (~32), MicroAllocator (~40), GreedyMemoryPlanner
 * (~48) and MicroBuiltinDataAllocator (~8).
 */
export const FIXED_OBJECTS_BYTES = 128;

/**
 * counted: conv, depthwise and transposed-conv Prepare allocate two int32 arrays
 * per output channel, multipliers and shifts (4 · Cout each), as two kernel buffers.
 */
function perChannelBytes(op: Op, graph: Graph): number {
  if (!OPS[op.kind].tflm.perChannelMultipliers) return 0;
  const out = graph.tensors[op.outputs[0]!]!;
  return 2 * align16(4 * out.shape[out.shape.length - 1]!);
}

/**
 * Every allocation of the tail is counted rounded up to 16 bytes.
 *  - Kernel buffers (a kernel's Init user data, Prepare's per-channel arrays)
 *    are 16-byte aligned in TFLM: context->AllocatePersistentBuffer passes
 *    MicroArenaBufferAlignment() to SingleArenaBufferAllocator::
 *    AllocatePersistentBuffer, which rounds the tail down to it
 *    (arena_allocator/single_arena_buffer_allocator.cc).
 *  - The other tail objects (eval tensors, nodes, builtin options, I/O
 *    tensors, allocator objects) are aligned to alignof(T), 4 on the M4; their
 *    sizes here are partly counted by hand and partly estimated, and the tail
 *    pads up to 12 bytes where it switches from 4- to 16-byte alignment, so
 *    they are rounded to 16 too, as a bound.
 * Against arenas measured with the real Arduino library (TFLM + CMSIS-NN,
 * arm-none-eabi-gcc 12.2, smallest arena AllocateTensors accepts): the paper
 * autoencoder at 32 × 32 needs 43,780 B (this estimate: 43,888, +0.25%), the
 * same with half its filters pruned 22,724 B (22,832, +0.5%), MLPerf Tiny's
 * ToyCar (ten FULLY_CONNECTED) 2,964 B (3,008, +1.5%). With kernel buffers
 * alone at 16 the estimate stayed 8 B and 28 B below those.
 */
const align16 = (n: number) => Math.ceil(n / 16) * 16;

export interface PersistentBreakdown {
  evalTensors: number;
  nodes: number;
  builtinData: number;
  kernelData: number;
  perChannelQuant: number;
  ioTensors: number;
  scratchHandles: number;
  fixedObjects: number;
}

export function persistentTail(graph: Graph, target: ArenaTarget, scratchCount: number): PersistentBreakdown {
  const io = graph.inputs.length + graph.outputs.length;
  return {
    evalTensors: align16(EVAL_TENSOR_BYTES * graph.tensors.length),
    nodes: align16(NODE_BYTES * graph.ops.length),
    builtinData: graph.ops.reduce((s, op) => s + align16(OPS[op.kind].tflm.builtinDataBytes), 0),
    kernelData: graph.ops.reduce((s, op) => s + align16(OPS[op.kind].tflm.userDataBytes[target]), 0),
    perChannelQuant: graph.ops.reduce((s, op) => s + perChannelBytes(op, graph), 0),
    ioTensors: io * align16(4 + TFLITE_TENSOR_BYTES + IO_QUANT_BYTES),
    scratchHandles: align16(SCRATCH_HANDLE_BYTES * scratchCount),
    fixedObjects: align16(FIXED_OBJECTS_BYTES + SUBGRAPH_BYTES),
  };
}

/**
 * counted: while planning, the head also holds temporaries (micro_allocator.cc
 * CommitStaticMemoryPlan): one AllocationInfo (24 bytes) per tensor and scratch
 * buffer, and the planner's per-buffer arrays (GreedyMemoryPlanner::
 * per_buffer_size() = 16 + 4 + 4 + 12 + 4 = 40 bytes) per planned buffer.
 */
export function planningTempBytes(tensorCount: number, scratchCount: number, plannedBuffers: number): number {
  return 24 * (tensorCount + scratchCount) + 40 * plannedBuffers + 16;
}
