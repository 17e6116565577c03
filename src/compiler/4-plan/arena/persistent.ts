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

/** counted: conv, depthwise and transposed-conv Prepare allocate int32 multiplier and shift arrays per output channel (8 · Cout). */
function perChannelBytes(op: Op, graph: Graph): number {
  if (!OPS[op.kind].tflm.perChannelMultipliers) return 0;
  const out = graph.tensors[op.outputs[0]!]!;
  return 8 * out.shape[out.shape.length - 1]!;
}

const align4 = (n: number) => Math.ceil(n / 4) * 4;

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
    evalTensors: EVAL_TENSOR_BYTES * graph.tensors.length,
    nodes: NODE_BYTES * graph.ops.length,
    builtinData: graph.ops.reduce((s, op) => s + align4(OPS[op.kind].tflm.builtinDataBytes), 0),
    kernelData: graph.ops.reduce((s, op) => s + align4(OPS[op.kind].tflm.userDataBytes[target]), 0),
    perChannelQuant: graph.ops.reduce((s, op) => s + perChannelBytes(op, graph), 0),
    ioTensors: io * (4 + TFLITE_TENSOR_BYTES + IO_QUANT_BYTES),
    scratchHandles: SCRATCH_HANDLE_BYTES * scratchCount,
    fixedObjects: FIXED_OBJECTS_BYTES + SUBGRAPH_BYTES,
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
