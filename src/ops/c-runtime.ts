import { tensorSize, type Graph, type Op } from '../ir/index.js';
import type { CRuntimeCall } from './descriptor.js';

/**
 * Cost rates of tinypdm's C runtime shared by several op descriptors:
 * Cortex-M4 instructions per unit of work of one generated call, measured with
 * QEMU mps2-an386 -icount shift=0 and SysTick at -Os (the mbed core's
 * optimisation level), arm-none-eabi-gcc 12.2, by `npm run bench -- cbackend`.
 * Ops without MACs are measured on the interpreter's one-op cases (small
 * tensors, so the rates include the per-call overhead). Ops fused into a conv
 * cost nothing beyond the conv's rate, which was measured with them fused.
 * Re-measure when firmware/kernels changes.
 */

/** rate × the call's MACs. */
export const perMac =
  (rate: number) =>
  (_op: Op, _graph: Graph, call: CRuntimeCall): number =>
    rate * call.macs;

/** rate × the elements of the op's output. */
export const perOutputElement =
  (rate: number) =>
  (op: Op, graph: Graph): number =>
    rate * tensorSize(graph.tensors[op.outputs[0]!]!.shape);

/** rate × the elements of the op's first input. */
export const perInputElement =
  (rate: number) =>
  (op: Op, graph: Graph): number =>
    rate * tensorSize(graph.tensors[op.inputs[0]!]!.shape);
