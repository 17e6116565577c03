import { fail, type ErrorCode } from '../../util/index.js';
import type { Graph, Op, Tensor } from '../../ir/index.js';

/**
 * What every check of the graph validator reports through: one line naming the
 * graph's source (`where`: a file, or "model.json (compiled int8 graph)"), the
 * op by index, kind and layer name, the tensor, the bad value, and what to do.
 */
export class ValidationContext {
  constructor(
    readonly graph: Graph,
    readonly where: string,
  ) {}

  /** A tensor by id; ids are range-checked by the structural pass before any rule runs. */
  tensor(id: number): Tensor {
    return this.graph.tensors[id]!;
  }

  describeOp(op: Op, index = this.graph.ops.indexOf(op)): string {
    return `op ${index} ${op.kind} '${op.name}'`;
  }

  describeTensor(t: Tensor): string {
    return `tensor '${t.name}' [${t.shape.join(', ')}] ${t.dtype}`;
  }

  fail(code: ErrorCode, what: string, fix: string): never {
    return fail(code, `${this.where}: ${what}; ${fix}`);
  }

  /** A failure inside one op's rules: the op is named first. */
  failOp(op: Op, code: ErrorCode, what: string, fix = FIX_MODEL): never {
    return this.fail(code, `${this.describeOp(op)}: ${what}`, fix);
  }
}

/** The usual remedy for a model file that breaks a rule: it was not written by a working converter. */
export const FIX_MODEL = 're-export the model with the TFLite converter or tinypdm, or fix the layer that produces it';

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
