import { describe, expect, it } from 'vitest';
import { cloneGraph } from '../../src/ir/builder.js';
import type { Graph } from '../../src/ir/graph.js';
import { OP_KINDS } from '../../src/ops/index.js';
import { allOpsGraph } from './fixtures.js';
import { decodeWithFlatc } from './flatc.js';
import { readTflite, writeTflite } from '../../src/compiler/index.js';

// From the TFLite schema (tensorflow/lite/schema/schema.fbs), written out here rather than taken from our tables.
const BUILTIN_CODE: Record<string, number> = {
  ADD: 0,
  AVERAGE_POOL_2D: 1,
  CONCATENATION: 2,
  CONV_2D: 3,
  DEPTHWISE_CONV_2D: 4,
  DEQUANTIZE: 6,
  FULLY_CONNECTED: 9,
  LOGISTIC: 14,
  MAX_POOL_2D: 17,
  RELU: 19,
  RELU6: 21,
  RESHAPE: 22,
  SOFTMAX: 25,
  PAD: 34,
  MEAN: 40,
  TRANSPOSE_CONV: 67,
  RESIZE_NEAREST_NEIGHBOR: 97,
  LEAKY_RELU: 98,
  QUANTIZE: 114,
};
const INT8_VERSION: Record<string, number> = {
  CONV_2D: 3,
  DEPTHWISE_CONV_2D: 3,
  FULLY_CONNECTED: 4,
  MAX_POOL_2D: 2,
  AVERAGE_POOL_2D: 2,
  RESIZE_NEAREST_NEIGHBOR: 3, // half_pixel_centers
  SOFTMAX: 2,
  MEAN: 2,
  LOGISTIC: 2,
  RELU: 2,
  RELU6: 2,
  ADD: 2,
  PAD: 2,
  CONCATENATION: 2,
  DEQUANTIZE: 2,
  QUANTIZE: 1,
  RESHAPE: 1,
  TRANSPOSE_CONV: 3, // has a bias (op_version.cc)
  LEAKY_RELU: 1, // op_version.cc: 2 is int16 only
};
const FLOAT_VERSION = (op: string): number => (op === 'RESIZE_NEAREST_NEIGHBOR' || op === 'TRANSPOSE_CONV' ? 3 : 1);

/**
 * What a file can hold of a graph: op names are not stored (the reader names an
 * op after its output), and scales are float32 in the schema.
 */
const asStored = (g: Graph) => ({
  ...g,
  tensors: g.tensors.map((t) => (t.quant ? { ...t, quant: { ...t.quant, scale: t.quant.scale.map((s) => Math.fround(s)) } } : t)),
  ops: g.ops.map(({ name: _name, ...rest }) => rest),
});

describe.each(['float32', 'int8'] as const)('writeTflite/readTflite on a graph with every op (%s)', (kind) => {
  const graph = allOpsGraph(kind);
  const bytes = writeTflite(graph, { description: 'tinypdm test' });

  it('covers every IR op kind', () => {
    const kinds = new Set(graph.ops.map((o) => o.kind));
    const expected = OP_KINDS.filter((k) => kind === 'int8' || (k !== 'QUANTIZE' && k !== 'DEQUANTIZE'));
    expect([...kinds].sort()).toEqual([...expected].sort());
  });

  it('reads back the same graph and rewrites identical bytes', () => {
    const back = readTflite(bytes, 'model.tflite');
    expect(asStored(back)).toEqual(asStored(graph));
    expect(writeTflite(back, { description: 'tinypdm test' })).toEqual(bytes);
  });

  it('is deterministic', () => {
    expect(writeTflite(cloneGraph(graph), { description: 'tinypdm test' })).toEqual(bytes);
    expect(writeTflite(allOpsGraph(kind), { description: 'tinypdm test' })).toEqual(bytes);
  });

  it('has the TFL3 identifier, and flatc decodes the schema facts we promise', () => {
    expect(String.fromCharCode(...bytes.subarray(4, 8))).toBe('TFL3');
    const m = decodeWithFlatc(bytes);
    expect(m.version).toBe(3);
    expect(m.description).toBe('tinypdm test');
    expect(m.buffers[0]).toEqual({});
    expect(m.subgraphs).toHaveLength(1);
    const sg = m.subgraphs[0];
    expect(sg.name).toBe(graph.name);
    expect(sg.inputs).toEqual(graph.inputs);
    expect(sg.outputs).toEqual(graph.outputs);
    for (const oc of m.operator_codes) {
      const code = BUILTIN_CODE[oc.builtin_code ?? 'ADD']!;
      expect(oc.deprecated_builtin_code ?? 0).toBe(code);
      expect(oc.version ?? 1).toBe(kind === 'int8' ? INT8_VERSION[oc.builtin_code ?? 'ADD'] : FLOAT_VERSION(oc.builtin_code ?? 'ADD'));
    }
    // Every constant has its own buffer holding exactly its bytes; activations use buffer 0.
    const used = new Set<number>();
    graph.tensors.forEach((t, i) => {
      const ft = sg.tensors[i];
      expect(ft.name).toBe(t.name);
      expect(ft.shape).toEqual(t.shape);
      const buf = ft.buffer ?? 0;
      if (t.data === undefined) {
        expect(buf).toBe(0);
        return;
      }
      expect(buf).toBeGreaterThan(0);
      expect(used.has(buf)).toBe(false);
      used.add(buf);
      expect(m.buffers[buf].data).toEqual([...new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength)]);
      if (t.quant) {
        // flatc 2.0.8 prints floats with ~6 decimals, so small scales lose digits; exact bits are checked by the round trip.
        expect(ft.quantization.scale).toHaveLength(t.quant.scale.length);
        ft.quantization.scale.forEach((s: number, k: number) => expect(Math.abs(s / t.quant!.scale[k]! - 1)).toBeLessThan(2e-3));
        expect(ft.quantization.zero_point).toEqual(t.quant.zeroPoint);
        expect(ft.quantization.quantized_dimension ?? 0).toBe(t.quant.axis);
      }
    });
  });

  it('puts every constant buffer 16-byte aligned in the file', () => {
    let checked = 0;
    for (const t of graph.tensors) {
      // Random weights of 16+ bytes occur once in the file; int32 shape operands
      // also appear as tensor shapes, so they cannot be located this way.
      if (!t.data || t.dtype === 'int32' || t.data.byteLength < 16) continue;
      const needle = Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
      const file = Buffer.from(bytes);
      const at = file.indexOf(needle);
      expect(at).toBeGreaterThan(0);
      expect(file.indexOf(needle, at + 1)).toBe(-1);
      expect(at % 16).toBe(0);
      // The vector length precedes the data.
      expect(new DataView(bytes.buffer, bytes.byteOffset).getUint32(at - 4, true)).toBe(needle.length);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(4);
  });
});

describe('readTflite on a copy that starts at an odd byte offset', () => {
  it('reads constants correctly whatever the input array alignment', () => {
    const graph = allOpsGraph('int8');
    const bytes = writeTflite(graph, { description: '' });
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    const back = readTflite(shifted.subarray(3), 'shifted.tflite');
    expect(asStored(back)).toEqual(asStored(graph));
  });
});
