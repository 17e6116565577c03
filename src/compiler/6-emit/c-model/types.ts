import type { Graph, Op, OpKind } from '../../../ir/index.js';

/**
 * Which kernel set the generated model calls. `reference`: the portable
 * reference kernels of firmware/kernels/ (the spec), one op per call, no
 * fusion. `cortex-m4`: the optimised kernels of firmware/kernels/cortex_m4/
 * where an op has one (they also build on the host through a portable
 * fallback), plus the fusions they implement.
 */
export type KernelTarget = 'reference' | 'cortex-m4';

export const KERNEL_TARGETS: readonly KernelTarget[] = ['reference', 'cortex-m4'];

/** A spatial map in front of a conv's input: a fused RESIZE_NEAREST_NEIGHBOR or PAD. */
export interface InputView {
  /** The tensor actually stored (the view's source). */
  source: number;
  /** Stored row / column of each row / column of the view, -1 where it reads padding. */
  rows: Int32Array;
  cols: Int32Array;
  /** The fused ops, in execution order. */
  ops: Op[];
}

/** What the schedule decided for one op. */
export interface Fusion {
  /** A conv reads its input through this view instead of a stored tensor. */
  view?: InputView;
  /** A tiling MAX_POOL_2D this conv's output goes through before it is stored. */
  pool?: Op;
}

/** Everything an op emitter may use. */
export interface EmitContext {
  graph: Graph;
  target: KernelTarget;
  /** A unique, sanitised C identifier prefix for this step's constants, e.g. `tinypdm_model_l3_conv2d`. */
  prefix: string;
  fusion: Fusion;
}

/** Expressions for the memory a step touches, decided by the planner. */
export interface StepBuffers {
  /** A C expression for each input value (in `Step.reads` order). */
  reads: string[];
  write: string;
  /** The step's scratch, when it asked for some. */
  scratch?: string;
  /** The RESHAPE-style steps: true when the output shares the input's bytes (no code needed). */
  aliased: boolean;
}

/**
 * One call in the generated `tinypdm_model_invoke`: an op, or a conv with
 * the ops fused into it. `reads` / `write` are tensor ids of stored values.
 */
export interface Step {
  /** The op kinds it runs, e.g. ['RESIZE_NEAREST_NEIGHBOR', 'CONV_2D', 'MAX_POOL_2D']. */
  kinds: OpKind[];
  /** The source layer names, for the comment above the call. */
  names: string[];
  reads: number[];
  write: number;
  scratchBytes: number;
  /** The output may take the bytes of `reads[inPlaceOf]` (element-wise ops). */
  inPlaceOf?: number;
  /** The output is `reads[0]` under another shape (RESHAPE): no code unless the planner must copy. */
  aliasOf?: 0;
  /** Multiply-accumulates, for reports and the cost model. */
  macs: number;
  /** `static const` declarations (arrays, the params struct), independent of memory. */
  declarations: string[];
  /** The firmware/kernels headers the call needs, relative to firmware/kernels/. */
  headers: string[];
  /** The statement(s) of the call, given where its memory is. */
  call(b: StepBuffers): string;
}

/** One emitter per op kind: checks the op, computes its constants, and returns the step. */
export type OpEmitter = (op: Op, ctx: EmitContext) => Step;

/** A step in the schedule, with the op whose emitter made it (a conv with fused ops: the conv). */
export interface ScheduledStep extends Step {
  op: Op;
}
