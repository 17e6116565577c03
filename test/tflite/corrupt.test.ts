import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TinyPdmError, type ErrorCode } from '../../src/util/errors.js';
import { GraphBuilder } from '../../src/ir/builder.js';
import { allOpsGraph, rng } from './fixtures.js';
import { decodeWithFlatc, encodeWithFlatc } from './flatc.js';
import { readTflite, writeTflite } from '../../src/compiler/index.js';
import { LeakyReluOptions, Model } from '../../src/tflite/index.js';
import { ByteBuffer } from 'flatbuffers';

/** Runs readTflite and returns the TinyPdmError it threw (any other throw fails the test). */
function readError(bytes: Uint8Array): TinyPdmError | undefined {
  try {
    readTflite(bytes, 'bad.tflite');
    return undefined;
  } catch (e) {
    if (!(e instanceof TinyPdmError)) throw new Error(`readTflite threw a non-TinyPdmError: ${String(e)}`, { cause: e });
    return e;
  }
}

function expectCode(bytes: Uint8Array, code: ErrorCode, text?: string | RegExp): void {
  const e = readError(bytes);
  expect(e, 'expected readTflite to fail').toBeDefined();
  expect(e!.code).toBe(code);
  expect(e!.message).toContain('bad.tflite');
  expect(e!.message).not.toContain('\n');
  if (text) expect(e!.message).toMatch(text);
}

const small = (() => {
  const b = new GraphBuilder('small');
  const x = b.addTensor('x', [1, 4, 4, 2], 'float32');
  const y = b.addTensor('y', [1, 4, 4, 3], 'float32');
  b.addOp('CONV_2D', 'conv', [x, b.addConst('w', [3, 1, 1, 2], new Float32Array(6).fill(0.5), 'float32'), -1], [y], {
    padding: 'SAME',
    strideH: 1,
    strideW: 1,
    dilationH: 1,
    dilationW: 1,
    activation: 'NONE',
  });
  b.inputs = [x];
  b.outputs = [y];
  return writeTflite(b.build(), { description: 'small' });
})();

/** Edits the model as JSON (decoded and re-encoded by flatc) to make a structurally valid but semantically bad file. */
const edited = (mutate: (m: any) => void): Uint8Array => {
  const m = decodeWithFlatc(small);
  mutate(m);
  return encodeWithFlatc(m);
};

describe('readTflite on hostile input', () => {
  it('accepts the untouched file', () => {
    expect(readError(small)).toBeUndefined();
    expect(readError(encodeWithFlatc(decodeWithFlatc(small)))).toBeUndefined();
  });

  it('rejects every truncation with CORRUPT_FILE', () => {
    for (let len = 0; len < small.length; len++) expectCode(small.subarray(0, len), 'CORRUPT_FILE');
  });

  it('rejects a wrong identifier', () => {
    const bad = small.slice();
    bad[4] = 'X'.charCodeAt(0);
    expectCode(bad, 'CORRUPT_FILE', /identifier is "XFL3"/);
  });

  it('rejects random bytes, with or without the TFL3 identifier', () => {
    const r = rng(42);
    for (let i = 0; i < 200; i++) {
      const bytes = Uint8Array.from({ length: 8 + Math.floor(r() * 600) }, () => Math.floor(r() * 256));
      if (i % 2) bytes.set([0x54, 0x46, 0x4c, 0x33], 4);
      expectCode(bytes, 'CORRUPT_FILE');
    }
  });

  it('rejects a root offset past the end', () => {
    const bad = small.slice();
    new DataView(bad.buffer).setUint32(0, bad.length + 100, true);
    expectCode(bad, 'CORRUPT_FILE', /outside/);
  });

  it('rejects a vector whose length runs past the end', () => {
    // The shape vector [1, 4, 4, 2] of tensor x: its uint32 length 4 precedes it.
    const bad = small.slice();
    const needle = Buffer.from(Int32Array.from([4, 1, 4, 4, 2]).buffer);
    const at = Buffer.from(bad).indexOf(needle);
    expect(at).toBeGreaterThan(0);
    new DataView(bad.buffer).setUint32(at, 0x40000000, true);
    expectCode(bad, 'CORRUPT_FILE', /outside/);
  });

  it('rejects a tensor buffer index out of range', () => {
    expectCode(
      edited((m) => (m.subgraphs[0].tensors[1].buffer = 99)),
      'CORRUPT_FILE',
      /buffer 99/,
    );
  });

  it('rejects a buffer whose size does not match its tensor', () => {
    expectCode(
      edited((m) => m.buffers[1].data.pop()),
      'CORRUPT_FILE',
      /holds 23 bytes/,
    );
  });

  it('rejects an operator input out of range', () => {
    expectCode(
      edited((m) => (m.subgraphs[0].operators[0].inputs[0] = 17)),
      'CORRUPT_FILE',
      /tensor 17/,
    );
  });

  it('rejects a negative dimension', () => {
    expectCode(
      edited((m) => (m.subgraphs[0].tensors[0].shape[1] = -3)),
      'CORRUPT_FILE',
      /dimension 1 = -3/,
    );
  });

  it('rejects an opcode index out of range', () => {
    expectCode(
      edited((m) => (m.subgraphs[0].operators[0].opcode_index = 5)),
      'CORRUPT_FILE',
      /operator code 5/,
    );
  });

  it('rejects a zero stride', () => {
    expectCode(
      edited((m) => (m.subgraphs[0].operators[0].builtin_options.stride_h = 0)),
      'CORRUPT_FILE',
      /stride_h is 0/,
    );
  });

  it('rejects a non-empty buffer 0', () => {
    expectCode(
      edited((m) => (m.buffers[0] = { data: [1, 2, 3] })),
      'CORRUPT_FILE',
      /buffer 0/,
    );
  });

  it('names an unsupported op and lists the supported ones', () => {
    const bad = edited((m) => {
      m.operator_codes[0].builtin_code = 'MUL';
      m.operator_codes[0].deprecated_builtin_code = 18;
    });
    expectCode(bad, 'UNSUPPORTED_OP', /operator 0 is MUL \(18\).*supported ops: CONV_2D, DEPTHWISE_CONV_2D/);
  });

  it('takes the larger of the two builtin code fields', () => {
    // Old files only set deprecated_builtin_code; builtin_code then reads 0 (ADD).
    expect(readError(edited((m) => delete m.operator_codes[0].builtin_code))).toBeUndefined();
  });

  it('rejects several subgraphs clearly', () => {
    const e = readError(edited((m) => m.subgraphs.push(m.subgraphs[0])));
    expect(e?.code).toBe('UNSUPPORTED_FORMAT');
    expect(e?.message).toMatch(/2 subgraphs/);
  });

  it('uses schema defaults for absent options tables and fields', () => {
    const m = decodeWithFlatc(writeTflite(allOpsGraph('float32'), { description: '' }));
    // flatc omits fields at their default, so ADD (0) has no builtin_code.
    const kinds = m.operator_codes.map((oc: any) => oc.builtin_code ?? 'ADD');
    for (const op of m.subgraphs[0].operators) {
      const kind = kinds[op.opcode_index ?? 0];
      if (['ADD', 'RESIZE_NEAREST_NEIGHBOR', 'SOFTMAX', 'MEAN', 'CONCATENATION', 'LEAKY_RELU'].includes(kind)) {
        delete op.builtin_options;
        delete op.builtin_options_type;
      }
      if (kind === 'CONV_2D') op.builtin_options = { stride_w: 2, stride_h: 3 };
    }
    const g = readTflite(encodeWithFlatc(m), 'defaults.tflite');
    const options = Object.fromEntries(g.ops.map((o) => [o.kind, o.options]));
    // Defaults written in the TFLite schema: ints/bools/enums 0, dilations 1, beta 0.0.
    expect(options.ADD).toEqual({ activation: 'NONE' });
    expect(options.RESIZE_NEAREST_NEIGHBOR).toEqual({ alignCorners: false, halfPixelCenters: false });
    expect(options.SOFTMAX).toEqual({ beta: 0 });
    expect(options.MEAN).toEqual({ keepDims: false });
    expect(options.CONCATENATION).toEqual({ axis: 0, activation: 'NONE' });
    expect(options.LEAKY_RELU).toEqual({ alpha: 0 });
    expect(options.CONV_2D).toEqual({ padding: 'SAME', strideW: 2, strideH: 3, dilationW: 1, dilationH: 1, activation: 'NONE' });
  });

  it('rejects a CONV_2D without options, whose schema-default strides are 0', () => {
    const bad = edited((m) => {
      delete m.subgraphs[0].operators[0].builtin_options;
      delete m.subgraphs[0].operators[0].builtin_options_type;
    });
    expectCode(bad, 'CORRUPT_FILE', /stride_h is 0/);
  });

  it('rejects an options table of the wrong type', () => {
    const bad = edited((m) => {
      m.subgraphs[0].operators[0].builtin_options_type = 'AddOptions';
      m.subgraphs[0].operators[0].builtin_options = {};
    });
    expectCode(bad, 'CORRUPT_FILE', /carries AddOptions, expected Conv2DOptions/);
  });

  describe('LEAKY_RELU options', () => {
    const leaky = (() => {
      const b = new GraphBuilder('leaky');
      const x = b.addTensor('x', [1, 4], 'float32');
      const y = b.addTensor('y', [1, 4], 'float32');
      b.addOp('LEAKY_RELU', 'leaky', [x], [y], { alpha: Math.fround(0.2) });
      b.inputs = [x];
      b.outputs = [y];
      return writeTflite(b.build(), { description: 'leaky' });
    })();
    /** Where the LeakyReluOptions table, its vtable and its alpha field sit in the file. */
    const locate = (bytes: Uint8Array) => {
      const bb = new ByteBuffer(bytes);
      const table = Model.getRootAsModel(bb).subgraphs(0)!.operators(0)!.builtinOptions(new LeakyReluOptions()) as LeakyReluOptions;
      const vtable = table.bb_pos - bb.readInt32(table.bb_pos);
      return { table: table.bb_pos, vtable, alphaAt: table.bb_pos + bb.readUint16(vtable + 4) };
    };

    it('reads alpha back as written', () => {
      expect(readTflite(leaky, 'leaky.tflite').ops[0]!.options).toEqual({ alpha: Math.fround(0.2) });
    });

    it('rejects an alpha field that lies outside its table (the verifier knows the table)', () => {
      const bad = leaky.slice();
      const { vtable } = locate(bad);
      // Table inline size is 8 (soffset + alpha); an offset of 6 would read 2 bytes past it.
      new DataView(bad.buffer).setUint16(vtable + 4, 6, true);
      expectCode(bad, 'CORRUPT_FILE', /LeakyReluOptions field 0 at offset 6 lies outside its table/);
    });

    it.each([NaN, Infinity])('rejects alpha %s', (v) => {
      const bad = leaky.slice();
      new DataView(bad.buffer).setFloat32(locate(bad).alphaAt, v, true);
      expectCode(bad, 'CORRUPT_FILE', new RegExp(`leaky relu alpha is ${v}`));
    });
  });

  it('never throws anything but a TinyPdmError on random byte mutations', () => {
    const allowed: ErrorCode[] = ['CORRUPT_FILE', 'UNSUPPORTED_OP', 'UNSUPPORTED_FORMAT'];
    const model = writeTflite(allOpsGraph('int8'), { description: 'fuzz' });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(model.length - 1), fc.nat(255)), { minLength: 1, maxLength: 8 }), (edits) => {
        const bytes = model.slice();
        for (const [i, v] of edits) bytes[i] = v;
        const e = readError(bytes);
        if (e) expect(allowed).toContain(e.code);
      }),
      { numRuns: 400, seed: 7 },
    );
  });
});
