import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allOpsGraph } from './fixtures.js';
import { decodeWithFlatc, encodeWithFlatc } from './flatc.js';
import { readTflite, writeTflite } from '../../src/compiler/index.js';

const SUBSET = readFileSync(new URL('../../src/tflite/schema/tflite_subset.fbs', import.meta.url), 'utf8');

/**
 * Our subset plus fields the real converter writes and tinypdm ignores, in the
 * real schema's slot order (Tensor.shape_signature/has_rank after sparsity,
 * Model.signature_defs after metadata).
 */
const CONVERTER_LIKE_SCHEMA = SUBSET.replace(
  '  sparsity:SparsityParameters;\n}',
  '  sparsity:SparsityParameters;\n  shape_signature:[int];\n  has_rank:bool = false;\n}',
).replace(
  '  metadata:[Metadata];\n}',
  '  metadata:[Metadata];\n  signature_defs:[SignatureDef];\n}\n\ntable TensorMap {\n  name:string;\n  tensor_index:uint;\n}\n\ntable SignatureDef {\n  inputs:[TensorMap];\n  outputs:[TensorMap];\n  signature_key:string;\n  deprecated_tag:string (deprecated);\n  subgraph_index:uint;\n}',
);

describe('readTflite on converter-style files', () => {
  it('ignores signature_defs, metadata (min_runtime_version), shape_signature and has_rank', () => {
    expect(CONVERTER_LIKE_SCHEMA).toContain('signature_defs');
    expect(CONVERTER_LIKE_SCHEMA).toContain('shape_signature');
    const graph = allOpsGraph('float32');
    const ours = writeTflite(graph, { description: 'MLIR Converted.' });
    const m = decodeWithFlatc(ours);
    const sg = m.subgraphs[0];
    for (const t of sg.tensors) {
      t.shape_signature = t.shape.map((d: number, i: number) => (i === 0 ? -1 : d));
      t.has_rank = true;
    }
    m.buffers.push({ data: [...Buffer.from('1.14.0\0\0\0\0\0\0\0\0\0\0')] });
    m.metadata = [{ name: 'min_runtime_version', buffer: m.buffers.length - 1 }];
    m.signature_defs = [
      {
        inputs: [{ name: 'input', tensor_index: sg.inputs[0] }],
        outputs: [{ name: 'output_0', tensor_index: sg.outputs[0] }],
        signature_key: 'serving_default',
      },
    ];
    const dir = mkdtempSync(join(tmpdir(), 'tinypdm-schema-'));
    try {
      writeFileSync(join(dir, 'converter_like.fbs'), CONVERTER_LIKE_SCHEMA);
      const foreign = encodeWithFlatc(m, join(dir, 'converter_like.fbs'));
      expect(foreign).not.toEqual(ours);
      const back = readTflite(foreign, 'converted.tflite');
      expect(back.tensors.map((t) => t.shape)).toEqual(graph.tensors.map((t) => t.shape));
      expect(back.ops.map((o) => [o.kind, o.inputs, o.outputs, o.options])).toEqual(
        graph.ops.map((o) => [o.kind, o.inputs, o.outputs, o.options]),
      );
      expect(back.tensors.filter((t) => t.data).length).toBe(graph.tensors.filter((t) => t.data).length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
