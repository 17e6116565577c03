import { describe, expect, it } from 'vitest';
import { TinyPdmError } from '../../src/util/errors.js';
import type { Graph } from '../../src/ir/graph.js';
import { OPS, OP_KINDS } from '../../src/ops/index.js';
import { validateGraph, writeTflite } from '../../src/compiler/index.js';
import { createTfliteRunner } from '../../src/tflite/index.js';
import { allOpsGraph } from '../tflite/fixtures.js';
import { edit, HOSTILE_GRAPHS, smallInt8Graph } from './graph-cases.js';

/**
 * The graph validator (src/model/validate): valid graphs pass; each hostile
 * graph of issue 13 §6 gets one clean error naming the op and the tensor; and
 * where the real TFLite runtime is the judge, it refuses the same graphs.
 */
function errorOf(g: Graph): TinyPdmError {
  try {
    validateGraph(g, 'm.tflite');
  } catch (e) {
    if (e instanceof TinyPdmError) return e;
    throw e;
  }
  throw new Error('the validator accepted the graph');
}

async function runtimeVerdict(g: Graph): Promise<string> {
  try {
    const runner = await createTfliteRunner(writeTflite(g, { description: 'validator test' }), 'm.tflite');
    runner.dispose();
    return 'accepted';
  } catch (e) {
    if (e instanceof TinyPdmError) return e.message;
    throw e;
  }
}

/** Graphs the real runtime refuses as well (the others it loads, then computes garbage or differs from TFLM). */
const RUNTIME_REFUSES = new Set([
  'an op whose input is its own output',
  'a two-op cycle',
  'a tensor produced twice',
  'a channel-count mismatch',
  'a non-broadcastable ADD',
  'a scale of 0',
  'a FULLY_CONNECTED bias with one scale per unit for per-tensor weights',
  'a CONV_2D without a bias',
  'an ADD output scale whose 2^20 multiple overflows float32',
]);

describe('validateGraph', () => {
  it("has rules on every op kind's descriptor", () => {
    for (const kind of OP_KINDS) expect(typeof OPS[kind].validate.shape, kind).toBe('function');
  });

  it('accepts valid float and int8 graphs of every op kind, which the real runtime also loads', async () => {
    for (const g of [smallInt8Graph(), allOpsGraph('float32'), allOpsGraph('int8')]) {
      expect(() => validateGraph(g, 'm.tflite'), g.name).not.toThrow();
      expect(await runtimeVerdict(g), g.name).toBe('accepted');
    }
  });

  it.each(Object.entries(HOSTILE_GRAPHS))('refuses %s with one line naming the op and the tensor', async (name, c) => {
    const e = errorOf(c.graph());
    expect(e.code).toBe(c.code);
    expect(e.message).not.toContain('\n');
    expect(e.message.startsWith('m.tflite: ')).toBe(true);
    for (const m of c.mentions) expect(e.message).toMatch(m);
    const verdict = await runtimeVerdict(c.graph());
    if (RUNTIME_REFUSES.has(name)) expect(verdict, 'the real TFLite runtime refuses it too').not.toBe('accepted');
  });

  it('names the tensor, the layer and the first bad index of a NaN or infinite weight', () => {
    const g = allOpsGraph('float32');
    for (const bad of [NaN, Infinity, -Infinity]) {
      const e = errorOf(edit(g, (x) => void ((x.tensors.find((t) => t.name === 'conv/w')!.data as Float32Array)[17] = bad)));
      expect(e.code).toBe('NON_FINITE');
      expect(e.message).toMatch(
        new RegExp(
          `tensor 'conv/w' \\(op 0 CONV_2D 'conv'\\) holds ${String(bad)} at index 17 \\(element \\[0, 2, 2, 1\\] of \\[4, 3, 3, 2\\]`,
        ),
      );
    }
    const bias = errorOf(edit(g, (x) => void ((x.tensors.find((t) => t.name === 'fc/w')!.data as Float32Array)[0] = NaN)));
    expect(bias.message).toMatch(/'fc\/w' \(op \d+ FULLY_CONNECTED 'fc'\) holds NaN at index 0/);
  });

  it('refuses bad quantisation parameters: negative, tiny (0 in float32), infinite, zero points out of range or fractional, axis and length mismatches', () => {
    const set = (name: string, q: { scale: number[]; zeroPoint: number[]; axis: number }) =>
      errorOf(edit(smallInt8Graph(), (g) => void (g.tensors.find((t) => t.name === name)!.quant = q)));
    for (const s of [-0.1, 1e-50, Infinity])
      expect(set('pool', { scale: [s], zeroPoint: [0], axis: 0 }).message).toMatch(new RegExp(`'pool'.*scale ${String(s)}`));
    expect(set('pool', { scale: [0.05], zeroPoint: [128], axis: 0 }).message).toMatch(
      /zero point 128; it must be an integer in \[-128, 127\]/,
    );
    expect(set('pool', { scale: [0.05], zeroPoint: [0.5], axis: 0 }).message).toMatch(/zero point 0\.5/);
    expect(set('pool', { scale: [0.05, 0.05], zeroPoint: [0, 0], axis: 3 }).message).toMatch(/activation with 2 scales/);
    expect(set('conv/w', { scale: [0.1, 0.1, 0.1], zeroPoint: [0, 0, 0], axis: 0 }).message).toMatch(
      /3 scales along quantized_dimension 0 of shape \[4, 3, 3, 2\]/,
    );
    expect(set('conv/w', { scale: [0.1, 0.1], zeroPoint: [0, 0], axis: 3 }).message).toMatch(
      /'conv\/w' have 2 scales for 4 output channels/,
    );
    expect(set('conv/w', { scale: [0.1], zeroPoint: [0, 0], axis: 0 }).message).toMatch(/1 scales and 2 zero points/);
    expect(set('conv/w', { scale: [0.1], zeroPoint: [3], axis: 0 }).message).toMatch(/zero point 3 .*symmetric/);
    expect(errorOf(edit(smallInt8Graph(), (g) => void delete g.tensors.find((t) => t.name === 'add')!.quant)).message).toMatch(
      /'add'.* int8 but has no quantisation params/,
    );
  });

  it('refuses the int8 params the kernels reject: pooling that requantises, a softmax output not at 1/256, an ADD output scale too small', () => {
    const pool = errorOf(edit(smallInt8Graph(), (g) => void (g.tensors.find((t) => t.name === 'pool')!.quant!.scale[0] = 0.06)));
    expect(pool.message).toMatch(/MAX_POOL_2D 'pool'.*must share quantisation params/);
    const softmax = errorOf(edit(allOpsGraph('int8'), (g) => void (g.tensors.find((t) => t.name === 'softmax')!.quant!.scale[0] = 0.01)));
    expect(softmax.message).toMatch(/SOFTMAX 'softmax'.*scale 1\/256/);
    const add = errorOf(edit(smallInt8Graph(), (g) => void (g.tensors.find((t) => t.name === 'add')!.quant!.scale[0] = 1e-9)));
    expect(add.message).toMatch(/ADD 'add'.*too small/);
  });

  it('refuses what the graph fuzz found the runtime and the interpreter treat differently, or the runtime refusing', async () => {
    // int8 CONCATENATION inputs with their own params: the runtime refuses them (concatenation.cc).
    const concat = edit(allOpsGraph('int8'), (g) => void (g.tensors.find((t) => t.name === 'concat')!.quant!.zeroPoint[0] = 7));
    expect(errorOf(concat).message).toMatch(/CONCATENATION 'concat': input 0 'tconv' .* must share quantisation params/);
    expect(await runtimeVerdict(concat)).toMatch(/concatenation\.cc/);
    // A TRANSPOSE_CONV whose input size does not follow from its output size and strides: XNNPACK places the taps differently.
    const tconv = edit(
      allOpsGraph('int8'),
      (g) => void ((g.ops.find((o) => o.kind === 'TRANSPOSE_CONV')!.options as { strideW: number }).strideW = 3),
    );
    expect(errorOf(tconv).message).toMatch(
      /TRANSPOSE_CONV 'tconv': input 'relu' is 10×10 but output_shape \[1, 20, 20, 3\] .* belongs to a 10×7 input/,
    );
    // A negative softmax beta: the int8 kernels' fixed point assumes a positive one.
    const softmax = edit(allOpsGraph('int8'), (g) => {
      for (const o of g.ops) if (o.kind === 'SOFTMAX') o.options.beta = -1;
    });
    expect(errorOf(softmax).message).toMatch(/SOFTMAX 'softmax': beta is -1, must be a positive number/);
  });

  it('refuses dangling indices, constants written by ops, graph inputs that are constants, and unsupported activation types', () => {
    expect(errorOf(edit(smallInt8Graph(), (g) => void (g.ops[0]!.inputs[0] = 999))).message).toMatch(
      /op 0 CONV_2D 'conv': input 0 is tensor 999, but there are/,
    );
    expect(errorOf(edit(smallInt8Graph(), (g) => void (g.ops[1]!.outputs[0] = 2))).message).toMatch(
      /writes its output into 'conv\/w', a constant/,
    );
    expect(errorOf(edit(smallInt8Graph(), (g) => void (g.inputs = [2]))).message).toMatch(/graph input 0 'conv\/w' is a constant/);
    expect(errorOf(edit(smallInt8Graph(), (g) => void (g.outputs = [999]))).message).toMatch(/graph output 0 is tensor 999/);
    const int16 = errorOf(edit(smallInt8Graph(), (g) => void (g.tensors.find((t) => t.name === 'pool')!.dtype = 'int16')));
    expect(int16.code).toBe('UNSUPPORTED_FORMAT');
    expect(errorOf(edit(smallInt8Graph(), (g) => void (g.tensors.find((t) => t.name === 'pool')!.shape = [1, 0, 4, 4]))).message).toMatch(
      /'pool' has shape \[1, 0, 4, 4\]/,
    );
  });

  it("checks every op kind's shape rule: a wrong declared output of each op in the all-ops graph is refused naming that op", () => {
    for (const kind of ['float32', 'int8'] as const) {
      const base = allOpsGraph(kind);
      base.ops.forEach((op, i) => {
        const g = edit(base, (x) => {
          const out = x.tensors[x.ops[i]!.outputs[0]!]!;
          out.shape = [...out.shape.slice(0, -1), out.shape[out.shape.length - 1]! + 1];
        });
        const e = errorOf(g);
        expect(e.code, `${kind} ${op.kind}`).toBe('SHAPE_MISMATCH');
        expect(e.message, `${kind} ${op.kind}`).toMatch(new RegExp(`op ${i} ${op.kind} '${op.name}'`));
      });
    }
  });
});
