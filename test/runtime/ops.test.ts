import { beforeAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/ir/builder.js';
import type { Graph, QuantParams } from '../../src/ir/graph.js';
import { runGraph } from '../../src/runtime/index.js';
import { CASES, prepareCase, type OpCase } from './cases.js';
import { numpyReference, perTensor, rng, singleOp, toNumbers, type ReferenceCase } from './helpers.js';

/**
 * Each op's kernels against an independent numpy reference (reference_ops.py):
 *  - the float kernel on the dequantised graph must match numpy to float precision
 *    (this checks geometry: SAME offsets, strides, dilation, multipliers);
 *  - the int8 kernel must be within 1 output LSB of numpy's result quantised
 *    with the output params (exactly equal for the pure data-movement ops).
 */

interface Outcome {
  c: OpCase;
  int8Graph: Graph;
  int8Out: Int8Array;
  floatOut: Float32Array;
  refCase: ReferenceCase;
}

const outcomes: Outcome[] = [];
let reference: number[][] = [];

beforeAll(() => {
  CASES.forEach((c, i) => {
    const { graph, inputs, floatGraph, floatInputs, floatOut } = prepareCase(c, rng(1000 + i));
    const int8Out = runGraph(graph, inputs).outputs[0] as Int8Array;
    const fed = new Map(graph.inputs.map((id, k) => [id, floatInputs[k]!]));
    const op = floatGraph.ops[0]!;
    const refCase: ReferenceCase = {
      op: op.kind,
      options: op.options,
      inputs: op.inputs
        .filter((id) => id >= 0)
        .map((id) => ({ shape: floatGraph.tensors[id]!.shape, data: toNumbers(fed.get(id) ?? floatGraph.tensors[id]!.data!) })),
    };
    outcomes.push({ c, int8Graph: graph, int8Out, floatOut, refCase });
  });
  reference = numpyReference(outcomes.map((o) => o.refCase));
});

function quantizeRef(v: number, q: QuantParams): number {
  const x = v / q.scale[0]! + q.zeroPoint[0]!;
  const r = x < 0 ? -Math.round(-x) : Math.round(x);
  return Math.max(-128, Math.min(127, r));
}

describe.each(CASES.map((c, i) => [c.name, i] as const))('%s', (_name, i) => {
  it('float kernel matches numpy', () => {
    const { floatOut } = outcomes[i]!;
    const ref = reference[i]!;
    expect(floatOut.length).toBe(ref.length);
    const tol = 1e-5 * (1 + Math.max(...ref.map(Math.abs)));
    for (let k = 0; k < ref.length; k++) expect(Math.abs(floatOut[k]! - ref[k]!)).toBeLessThanOrEqual(tol);
  });

  it('int8 kernel is within 1 LSB of numpy quantised with the output params', () => {
    const { int8Out, int8Graph, c } = outcomes[i]!;
    const q = int8Graph.tensors[int8Graph.outputs[0]!]!.quant!;
    const ref = reference[i]!;
    let exact = 0;
    for (let k = 0; k < ref.length; k++) {
      const want = quantizeRef(ref[k]!, q);
      const diff = Math.abs(int8Out[k]! - want);
      expect(diff, `element ${k}: int8 ${int8Out[k]} vs reference ${want} (${ref[k]})`).toBeLessThanOrEqual(c.exact ? 0 : 1);
      if (diff === 0) exact++;
    }
    // Rounding ties aside, most elements must agree exactly; a systematic off-by-one would not.
    expect(exact / ref.length).toBeGreaterThanOrEqual(0.8);
    // Guard against a vacuous pass: the output must not be constant.
    expect(new Set(int8Out).size).toBeGreaterThan(1);
  });
});

describe('quantize / dequantize at the model edges', () => {
  it('QUANTIZE float → int8 rounds x/scale half away from zero and clamps', () => {
    const b = new GraphBuilder('q');
    const x = b.addTensor('x', [1, 8], 'float32');
    const g = singleOp(b, 'QUANTIZE', [x], [1, 8], perTensor(0.5, -3), {});
    const input = Float32Array.from([0, 0.25, -0.25, 0.75, 1e9, -1e9, 10, -10]);
    // 0.25/0.5 = 0.5 → 1, −0.5 → −1, 1.5 → 2; ±1e9 clamp; ±20.
    expect(toNumbers(runGraph(g, [input]).outputs[0]!)).toEqual([-3, -2, -4, -1, 127, -128, 17, -23]);
  });

  it('DEQUANTIZE int8 → float is scale·(q − zp)', () => {
    const b = new GraphBuilder('dq');
    const x = b.addTensor('x', [1, 4], 'int8', undefined, perTensor(0.25, 10));
    const g = singleOp(b, 'DEQUANTIZE', [x], [1, 4], undefined, {}, 'float32');
    expect(toNumbers(runGraph(g, [Int8Array.from([10, -128, 127, 0])]).outputs[0]!)).toEqual([0, -34.5, 29.25, -2.5]);
  });
});
