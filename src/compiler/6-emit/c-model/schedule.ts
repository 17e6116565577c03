import { fail } from '../../../util/index.js';
import { isConstant, type Graph, type Op } from '../../../ir/index.js';
import { cIdentifier } from '../../../util/index.js';
import { planFusions } from './fusion.js';
import { C_EMITTERS, C_RUNTIME_OPS } from './ops/index.js';
import type { KernelTarget, ScheduledStep } from './types.js';

/**
 * The graph as the calls of `tinypdm_model_invoke`: checks what the C runtime
 * runs, decides the fusions for the target, then asks each op's emitter for
 * its step, in the graph's execution order.
 */

function refuse(graph: Graph, why: string): never {
  return fail('UNSUPPORTED_OP', `${graph.name}: ${why}; emit with --runtime tflm to run it through TFLM`);
}

/** Graph-level rules: one input and one output, int8 activations (float only at the model's edges). */
export function checkGraphForC(graph: Graph): void {
  if (graph.inputs.length !== 1 || graph.outputs.length !== 1) {
    refuse(
      graph,
      `the C runtime compiles models with one input and one output, this one has ${graph.inputs.length} and ${graph.outputs.length}`,
    );
  }
  const input = graph.inputs[0]!;
  const output = graph.outputs[0]!;
  for (const op of graph.ops) {
    if (!(op.kind in C_EMITTERS)) {
      fail(
        'UNSUPPORTED_OP',
        `${graph.name}: op '${op.name}' is ${op.kind}, which the C runtime does not compile; supported: ${C_RUNTIME_OPS.join(', ')}; emit with --runtime tflm to run it through TFLM`,
      );
    }
    if (op.outputs.length !== 1) refuse(graph, `op '${op.name}' (${op.kind}) has ${op.outputs.length} outputs`);
    for (const id of [...op.inputs, ...op.outputs]) {
      if (id < 0) continue;
      const t = graph.tensors[id]!;
      if (isConstant(t)) continue;
      if (t.shape.some((d) => d <= 0)) refuse(graph, `tensor '${t.name}' of op '${op.name}' has an empty shape [${t.shape.join(', ')}]`);
      const floatEdge = t.dtype === 'float32' && ((op.kind === 'QUANTIZE' && id === input) || (op.kind === 'DEQUANTIZE' && id === output));
      if (t.dtype !== 'int8' && !floatEdge) {
        refuse(
          graph,
          `op '${op.name}' (${op.kind}) has ${t.dtype} tensor '${t.name}'; the C runtime runs int8 activations (float32 only as the model's input into QUANTIZE or output of DEQUANTIZE)`,
        );
      }
    }
  }
  for (const id of [input, output]) {
    const t = graph.tensors[id]!;
    if (t.dtype !== 'int8' && t.dtype !== 'float32') refuse(graph, `model tensor '${t.name}' is ${t.dtype}`);
  }
}

/**
 * `<model>_l<i>_<op kind>`, e.g. `tinypdm_model_l2_conv_2d`: unique by the op
 * index, and built from no user text (layer names reach the C only inside
 * comments, through cComment), so a hostile layer name cannot change a token.
 */
export function stepPrefix(model: string, index: number, op: Op): string {
  return cIdentifier(`${model}_l${index}_${op.kind.toLowerCase()}`, 'op');
}

export function scheduleSteps(graph: Graph, target: KernelTarget, model: string): ScheduledStep[] {
  checkGraphForC(graph);
  const { fusions, absorbed } = planFusions(graph, target);
  const steps: ScheduledStep[] = [];
  graph.ops.forEach((op, i) => {
    if (absorbed.has(op)) return;
    steps.push({ ...C_EMITTERS[op.kind](op, { graph, target, prefix: stepPrefix(model, i, op), fusion: fusions.get(op) ?? {} }), op });
  });
  return steps;
}
