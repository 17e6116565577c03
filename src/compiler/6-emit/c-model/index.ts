/**
 * The C runtime: a model compiled to plain C99 that calls the hand-written
 * kernels of firmware/kernels/ with constants, in one function
 * (`tinypdm_model_invoke`), with its activations in one static buffer laid
 * out by our planner (src/compiler/4-plan/arena/c-model-planner.ts).
 *
 * schedule (check, fuse, one emitter per op) → plan memory → render templates.
 */
import { assertInternal, fail } from '../../../util/index.js';
import { tensorBytes, type Graph, type Op, type OpKind } from '../../../ir/index.js';
import { cComment } from '../../../util/index.js';
import { planCModel, type CModelFootprint, type CModelPlan, type CPlacement } from '../../4-plan/index.js';
import { bannerContext, renderTemplate, type BannerInfo } from '../render.js';
import { scheduleSteps } from './schedule.js';
import type { KernelTarget, ScheduledStep } from './types.js';

export { C_RUNTIME_OPS, C_EMITTERS } from './ops/index.js';
export { checkGraphForC } from './schedule.js';
export { KERNEL_TARGETS, type KernelTarget, type Step, type ScheduledStep } from './types.js';
export { kernelSources, KERNELS_DIR } from './kernel-sources.js';

export interface CModelOptions {
  target: KernelTarget;
  banner: BannerInfo;
  /**
   * The model's C name (default `tinypdm_model`): files `<name>.h/.c`, the
   * function `<name>_invoke`, macros `<NAME>_...`, and the prefix of every
   * static, so several models can share a firmware (or a translation unit).
   */
  name?: string;
}

export const DEFAULT_MODEL_NAME = 'tinypdm_model';

/** A plain C identifier of at most 24 characters (it prefixes every symbol of the model). */
export function checkModelName(name: string): string {
  if (!/^[a-z][a-z0-9_]{0,23}$/.test(name) || name.includes('__') || name.endsWith('_')) {
    fail(
      'BAD_ARGUMENT',
      `C model name ${JSON.stringify(name)} is not usable; use a lower-case letter followed by up to 23 lower-case letters, digits or single '_', e.g. tinypdm_model`,
    );
  }
  return name;
}

export interface CModelStepSummary {
  /** The op whose emitter made the step (a conv with fused ops: the conv). */
  op: Op;
  kinds: OpKind[];
  names: string[];
  macs: number;
  scratchBytes: number;
}

export interface CModel {
  /** `<name>.h` and `<name>.c`. */
  files: Record<string, string>;
  name: string;
  /** Kernel headers the model includes, relative to firmware/ (e.g. kernels/conv_2d.h), their own includes not listed. */
  headers: string[];
  /** The static activation buffer, in bytes: exactly what the generated C declares. */
  arenaBytes: number;
  steps: CModelStepSummary[];
  plan: CModelPlan;
  macs: number;
  /** Bytes of the constant arrays (weights, biases, multipliers, shifts, tables) the model puts in flash. */
  constBytes: number;
}

const ELEMENT_BYTES: Record<string, number> = { int8_t: 1, int16_t: 2, int32_t: 4 };

/** Sizes of the `static const <type> name[n]` arrays among the declarations. */
function arrayBytes(declarations: readonly string[]): number {
  let n = 0;
  for (const d of declarations)
    for (const m of d.matchAll(/^static const (int8_t|int16_t|int32_t) \w+\[(\d+)\]/gm)) n += ELEMENT_BYTES[m[1]!]! * Number(m[2]);
  return n;
}

function where(p: CPlacement | undefined, arena: string): string {
  assertInternal(p, 'every value the steps touch is placed');
  if (p.where === 'in') return 'in';
  if (p.where === 'out') return 'out';
  return `(${arena} + ${p.offset})`;
}

const C_TYPE = { int8: 'int8_t', float32: 'float' } as const;

/** The steps the C runtime makes of `graph` on the cortex-m4 kernels (what the sketch runs), without planning or rendering. */
export function cModelSteps(graph: Graph): ScheduledStep[] {
  return scheduleSteps(graph, 'cortex-m4', DEFAULT_MODEL_NAME);
}

/** The C runtime's activation buffer for `graph` on the cortex-m4 kernels (what generateCModel declares), without rendering C. */
export function cModelActivationBytes(graph: Graph): number {
  const steps = scheduleSteps(graph, 'cortex-m4', DEFAULT_MODEL_NAME);
  const bytes = new Map<number, number>();
  for (const id of [...steps.flatMap((s) => [...s.reads, s.write]), graph.inputs[0]!, graph.outputs[0]!])
    bytes.set(id, tensorBytes(graph.tensors[id]!));
  const plan = planCModel({ steps, bytes, input: graph.inputs[0]!, output: graph.outputs[0]! });
  return Math.max(1, plan.arenaBytes / 4) * 4;
}

export function generateCModel(graph: Graph, opts: CModelOptions): CModel {
  const name = checkModelName(opts.name ?? DEFAULT_MODEL_NAME);
  const NAME = name.toUpperCase();
  const arena = `${NAME}_ARENA`;
  const steps: ScheduledStep[] = scheduleSteps(graph, opts.target, name);
  const input = graph.inputs[0]!;
  const output = graph.outputs[0]!;
  const bytes = new Map<number, number>();
  for (const s of steps) for (const id of [...s.reads, s.write]) bytes.set(id, tensorBytes(graph.tensors[id]!));
  bytes.set(input, tensorBytes(graph.tensors[input]!));
  bytes.set(output, tensorBytes(graph.tensors[output]!));
  const plan = planCModel({ steps, bytes, input, output });
  const calls = steps.map((s, i) => ({
    index: i,
    comment: cComment(`${s.kinds.join(' + ')}: ${s.names.join(', ')}`),
    call: s.call({
      reads: s.reads.map((id) => where(plan.placement.get(id), arena)),
      write: where(plan.placement.get(s.write), arena),
      ...(plan.scratch[i] !== undefined ? { scratch: `(${arena} + ${plan.scratch[i]})` } : {}),
      aliased: plan.aliased[i]!,
    }),
  }));
  const inputType = C_TYPE[graph.tensors[input]!.dtype as 'int8' | 'float32'];
  const outputType = C_TYPE[graph.tensors[output]!.dtype as 'int8' | 'float32'];
  // A model without ops: its output is its input.
  if (steps.length === 0)
    calls.push({
      index: 0,
      comment: 'the output is the input: copy it',
      call: `memcpy(out, in, ${tensorBytes(graph.tensors[output]!)}u);`,
    });
  const headers = [...new Set(steps.flatMap((s) => s.headers))].sort().map((h) => `kernels/${h}`);
  if (headers.length === 0) headers.push('kernels/tp_kernel.h');
  const macs = steps.reduce((n, s) => n + s.macs, 0);
  const arenaWords = Math.max(1, plan.arenaBytes / 4);
  const context = {
    ...bannerContext(opts.banner),
    name,
    NAME,
    arena,
    modelName: cComment(graph.name),
    target: opts.target,
    stepCount: steps.length,
    macs,
    headers,
    arenaBytes: arenaWords * 4,
    arenaWords,
    inputType,
    outputType,
    inputCount: graph.tensors[input]!.shape.reduce((a, b) => a * b, 1),
    outputCount: graph.tensors[output]!.shape.reduce((a, b) => a * b, 1),
    steps: steps.map((s, i) => ({ index: i, comment: calls[i]!.comment, declarations: s.declarations })),
    calls,
  };
  return {
    files: { [`${name}.h`]: renderTemplate('c_model/model.h', context), [`${name}.c`]: renderTemplate('c_model/model.c', context) },
    name,
    headers,
    arenaBytes: arenaWords * 4,
    steps: steps.map((s, i) => ({
      op: s.op,
      kinds: [...s.kinds],
      names: [...s.names],
      macs: s.macs,
      scratchBytes: plan.scratch[i] !== undefined ? s.scratchBytes : 0,
    })),
    plan,
    macs,
    constBytes: arrayBytes(steps.flatMap((s) => s.declarations)),
  };
}

/** What the board plan (phase 4) needs of a compiled model: its exact buffer, its constants, its calls, and the planner for rescaled graphs. */
export function cModelFootprint(m: CModel): CModelFootprint {
  return {
    arenaBytes: m.arenaBytes,
    constBytes: m.constBytes,
    calls: m.steps.map((s) => s.op.kind),
    activationBytesOf: cModelActivationBytes,
  };
}
