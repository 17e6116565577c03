import { assertInternal } from '../../../util/index.js';
import { greedyPlan } from './greedy-planner.js';
import { alignUp } from './target.js';

/**
 * The memory planner of the C runtime (src/compiler/6-emit/c-model): it lays out the
 * one static activation buffer the generated model declares, so the RAM it
 * reports is the buffer's size, exact by construction.
 *
 * Beyond TFLM's rules (greedy-planner.ts, plan.ts), where every tensor is its
 * own buffer and an op's input and output never share memory:
 *  - the model's input and output are the caller's buffers (`in`, `out`);
 *  - a RESHAPE-style step makes its output the same bytes as its input (an
 *    alias, no code), unless that would write into `in` or join `in` and `out`;
 *  - an element-wise step (RELU, RELU6, LEAKY_RELU, LOGISTIC, QUANTIZE, ADD) writes over
 *    the input it names when that input is read by no later step;
 *  - fused steps (a conv with its pooling and input views) never store the
 *    intermediate tensors at all: they do not appear here;
 *  - scratch lives only during its step.
 * Buffers start on 4 bytes (the kernels load words); the greedy placement is
 * TFLM's (largest first, first gap among buffers live at the same time).
 */

export const C_MODEL_ALIGNMENT = 4;

export interface CPlanStep {
  reads: readonly number[];
  write: number;
  scratchBytes: number;
  /** The output may take the bytes of reads[inPlaceOf]. */
  inPlaceOf?: number;
  /** The output is reads[0] under another shape. */
  aliasOf?: 0;
}

export interface CPlanInput {
  steps: readonly CPlanStep[];
  /** Bytes of each stored value, by value id (tensor id). */
  bytes: ReadonlyMap<number, number>;
  input: number;
  output: number;
}

export type CPlacement = { where: 'in' } | { where: 'out' } | { where: 'arena'; offset: number };

export interface CModelPlan {
  /** Size of the static activation buffer. */
  arenaBytes: number;
  /** Where each value lives. */
  placement: Map<number, CPlacement>;
  /** Per step: the scratch offset, if any. */
  scratch: Array<number | undefined>;
  /** Per step: whether an alias request was granted (false: the step copies). */
  aliased: boolean[];
  /** Arena buffers with their lifetimes in step indices, for reports and overlap checks. */
  buffers: Array<{ values: number[]; offset: number; size: number; firstStep: number; lastStep: number }>;
}

class Groups {
  private readonly parent = new Map<number, number>();
  find(v: number): number {
    let r = v;
    while (this.parent.has(r) && this.parent.get(r) !== r) r = this.parent.get(r)!;
    return r;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(rb, ra);
  }
}

export function planCModel(p: CPlanInput): CModelPlan {
  const groups = new Groups();
  const kind = new Map<number, 'in' | 'out'>([[p.input, 'in']]);
  const kindOf = (v: number) => kind.get(groups.find(v));
  const merge = (keep: number, other: number) => {
    const k = kindOf(keep) ?? kindOf(other);
    groups.union(keep, other);
    if (k) kind.set(groups.find(keep), k);
  };
  const lastRead = new Map<number, number>();
  p.steps.forEach((s, i) => s.reads.forEach((v) => lastRead.set(v, i)));

  const aliased = p.steps.map(() => false);
  const outputIsFinal = (v: number) => v === p.output;
  p.steps.forEach((s, i) => {
    const src = s.aliasOf !== undefined ? s.reads[0] : s.inPlaceOf !== undefined ? s.reads[s.inPlaceOf] : undefined;
    if (src === undefined) return;
    const srcKind = kindOf(src);
    if (s.aliasOf !== undefined) {
      // Sharing never writes, but `in` and `out` cannot be one buffer.
      if (!(srcKind === 'in' && outputIsFinal(s.write))) {
        merge(src, s.write);
        aliased[i] = true;
      }
      return;
    }
    // In place: the input must die here, must not be the caller's const input, and its bytes must hold the output.
    const lastUseOfGroup = Math.max(...[...lastRead.entries()].filter(([v]) => groups.find(v) === groups.find(src)).map(([, at]) => at));
    const fits = (p.bytes.get(s.write) ?? 0) <= (p.bytes.get(src) ?? 0);
    if (srcKind !== 'in' && lastUseOfGroup === i && fits) {
      merge(src, s.write);
      aliased[i] = true;
    }
  });
  if (kindOf(p.output) !== 'in') kind.set(groups.find(p.output), 'out');

  // Lifetimes of arena groups, in steps; the input is live from the start, the output to the end.
  const life = new Map<number, { first: number; last: number; values: Set<number>; size: number }>();
  const touch = (v: number, at: number) => {
    const g = groups.find(v);
    const e = life.get(g) ?? { first: at, last: at, values: new Set<number>(), size: 0 };
    e.first = Math.min(e.first, at);
    e.last = Math.max(e.last, at);
    e.values.add(v);
    e.size = Math.max(e.size, p.bytes.get(v) ?? 0);
    life.set(g, e);
  };
  p.steps.forEach((s, i) => {
    s.reads.forEach((v) => touch(v, i));
    touch(s.write, i);
  });

  const requests: Array<{ size: number; firstUse: number; lastUse: number }> = [];
  const owners: Array<{ group?: number; step?: number }> = [];
  for (const [g, e] of life) {
    if (kind.get(g)) continue;
    requests.push({ size: alignUp(e.size, C_MODEL_ALIGNMENT), firstUse: e.first, lastUse: e.last });
    owners.push({ group: g });
  }
  p.steps.forEach((s, i) => {
    if (s.scratchBytes > 0) {
      requests.push({ size: alignUp(s.scratchBytes, C_MODEL_ALIGNMENT), firstUse: i, lastUse: i });
      owners.push({ step: i });
    }
  });
  const { offsets, headBytes } = greedyPlan(requests);

  const placement = new Map<number, CPlacement>();
  const scratch: Array<number | undefined> = p.steps.map(() => undefined);
  const buffers: CModelPlan['buffers'] = [];
  owners.forEach((o, i) => {
    if (o.step !== undefined) {
      scratch[o.step] = offsets[i]!;
      return;
    }
    const e = life.get(o.group!)!;
    buffers.push({
      values: [...e.values].sort((a, b) => a - b),
      offset: offsets[i]!,
      size: requests[i]!.size,
      firstStep: e.first,
      lastStep: e.last,
    });
  });
  for (const [g, e] of life) {
    const k = kind.get(g);
    const b = buffers.find((x) => x.values.includes([...e.values][0]!));
    for (const v of e.values) placement.set(v, k ? { where: k } : { where: 'arena', offset: b!.offset });
  }
  if (!placement.has(p.input)) placement.set(p.input, { where: 'in' });
  if (!placement.has(p.output)) placement.set(p.output, kindOf(p.output) === 'in' ? { where: 'in' } : { where: 'out' });
  assertInternal(headBytes % C_MODEL_ALIGNMENT === 0, 'arena size is a multiple of the alignment');
  return { arenaBytes: headBytes, placement, scratch, aliased, buffers };
}
