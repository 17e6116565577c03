import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/ir/builder.js';
import { convOpts, paperInt8Graph } from '../fixtures/paper-ir.js';
import { scratchRequests } from '../../src/compiler/4-plan/arena/scratch.js';
import { findOverlaps, findInPlaceOps, planArena } from '../../src/compiler/4-plan/arena/plan.js';
import { estimateArena } from '../../src/compiler/index.js';
import { greedyPlan } from '../../src/compiler/4-plan/arena/greedy-planner.js';

/** A random chain of int8 ops (conv, pool, reshape) over a random input: graphs the planner must handle. */
const chainGraph = fc
  .record({
    h: fc.integer({ min: 1, max: 12 }),
    w: fc.integer({ min: 1, max: 12 }),
    c: fc.integer({ min: 1, max: 5 }),
    ops: fc.array(
      fc.record({ kind: fc.constantFrom('conv', 'reshape', 'conv1x1'), cout: fc.integer({ min: 1, max: 9 }), skip: fc.boolean() }),
      { minLength: 1, maxLength: 10 },
    ),
  })
  .map(({ h, w, c, ops }) => {
    const b = new GraphBuilder('chain');
    let x = b.addTensor('in', [1, h, w, c], 'int8');
    b.inputs = [x];
    const earlier: number[] = [x];
    for (const o of ops) {
      if (o.kind === 'reshape') {
        const shape = b.addConst('shape', [4], new Int32Array([1, w, h, c]), 'int32');
        const y = b.addTensor('r', [1, w, h, c], 'int8');
        b.addOp('RESHAPE', 'reshape', [x, shape], [y], {});
        [x, h, w] = [y, w, h];
      } else {
        const k = o.kind === 'conv' ? 3 : 1;
        const f = b.addConst('w', [o.cout, k, k, c], new Int8Array(o.cout * k * k * c), 'int8');
        const y = b.addTensor('c', [1, h, w, o.cout], 'int8');
        b.addOp('CONV_2D', 'conv', [x, f, -1], [y], convOpts);
        [x, c] = [y, o.cout];
      }
      earlier.push(x);
    }
    // Sometimes the first activation is also a graph output, so it must live to the end.
    b.outputs = ops[0]!.skip ? [x, earlier[1]!] : [x];
    return b.build();
  });

/** Sum of the sizes of the buffers live in one scope, maximised over scopes: no plan can be smaller. */
function liveLowerBound(buffers: { size: number; firstUse: number; lastUse: number }[]): number {
  let best = 0;
  for (const t of new Set(buffers.flatMap((b) => [b.firstUse, b.lastUse]))) {
    best = Math.max(
      best,
      buffers.filter((b) => b.firstUse <= t && t <= b.lastUse).reduce((s, b) => s + b.size, 0),
    );
  }
  return best;
}

describe('greedyPlan', () => {
  it("reproduces the offsets of TFLM's own TestGreedyMedium case (greedy_memory_planner_test.cc)", () => {
    const plan = greedyPlan([
      { size: 10, firstUse: 0, lastUse: 1 },
      { size: 20, firstUse: 1, lastUse: 2 },
      { size: 30, firstUse: 2, lastUse: 3 },
      { size: 40, firstUse: 3, lastUse: 4 },
      { size: 50, firstUse: 0, lastUse: 1 },
    ]);
    expect(plan.offsets).toEqual([50, 70, 40, 0, 0]);
    expect(plan.headBytes).toBe(90);
  });

  it('reuses memory of buffers whose lifetimes do not meet, and ties keep insertion order', () => {
    expect(
      greedyPlan([
        { size: 10, firstUse: 0, lastUse: 1 },
        { size: 20, firstUse: 2, lastUse: 3 },
      ]),
    ).toEqual({ offsets: [0, 0], headBytes: 20 });
    // Equal sizes, all live together: placed in the order given.
    expect(greedyPlan([0, 1, 2].map(() => ({ size: 16, firstUse: 0, lastUse: 0 }))).offsets).toEqual([0, 16, 32]);
  });

  it('never overlaps live buffers and never beats the live-sum lower bound (fast-check)', () => {
    const req = fc.record({
      size: fc.integer({ min: 1, max: 64 }).map((n) => n * 16),
      firstUse: fc.integer({ min: 0, max: 12 }),
      len: fc.integer({ min: 0, max: 5 }),
    });
    fc.assert(
      fc.property(fc.array(req, { maxLength: 25 }), (rs) => {
        const requests = rs.map((r) => ({ size: r.size, firstUse: r.firstUse, lastUse: r.firstUse + r.len }));
        const plan = greedyPlan(requests);
        const buffers = requests.map((r, i) => ({ ...r, tensorId: i, offset: plan.offsets[i]! }));
        expect(findOverlaps({ headBytes: plan.headBytes, buffers })).toEqual([]);
        expect(plan.headBytes).toBeGreaterThanOrEqual(liveLowerBound(requests));
        expect(plan.headBytes).toBe(Math.max(0, ...buffers.map((b) => b.offset + b.size)));
      }),
      { numRuns: 2_000, seed: 42 },
    );
  });
});

describe('planArena', () => {
  it('a three-tensor chain packs to the hand-derived optimum', () => {
    // in(100 B) -> conv -> mid(200 B) -> conv -> out(50 B); sizes round up to 112, 208, 64.
    const b = new GraphBuilder('chain');
    const input = b.addTensor('in', [1, 10, 10, 1], 'int8');
    const mid = b.addTensor('mid', [1, 10, 10, 2], 'int8');
    const out = b.addTensor('out', [1, 5, 10, 1], 'int8');
    const w1 = b.addConst('w1', [2, 1, 1, 1], new Int8Array(2), 'int8');
    const w2 = b.addConst('w2', [1, 1, 1, 2], new Int8Array(2), 'int8');
    b.addOp('CONV_2D', 'c1', [input, w1, -1], [mid], convOpts);
    b.addOp('CONV_2D', 'c2', [mid, w2, -1], [out], { ...convOpts, padding: 'VALID', strideH: 2 });
    b.inputs = [input];
    b.outputs = [out];
    const plan = planArena(b.build());
    // Scope 0: in; scope 1: in + mid; scope 2: mid + out. Peak 112 + 208 = 320.
    expect(plan.buffers.map((x) => [x.tensorId, x.size, x.firstUse, x.lastUse, x.offset])).toEqual([
      [input, 112, 0, 1, 208],
      [mid, 208, 1, 2, 0],
      [out, 64, 2, 2, 208],
    ]);
    expect(plan.headBytes).toBe(320);
  });

  it('random op chains: 16-aligned, no live overlap, no in-place op, head >= live lower bound, deterministic (fast-check)', () => {
    fc.assert(
      fc.property(chainGraph, fc.integer({ min: 0, max: 300 }), (g, scratch) => {
        const plan = planArena(g, { scratch: (op) => (op.kind === 'CONV_2D' ? scratch : 0) });
        for (const buf of plan.buffers) {
          expect(buf.offset % 16).toBe(0);
          expect(buf.size % 16).toBe(0);
        }
        expect(findOverlaps(plan)).toEqual([]);
        expect(findInPlaceOps(g, plan)).toEqual([]);
        expect(plan.headBytes).toBeGreaterThanOrEqual(liveLowerBound(plan.buffers));
        // Graph outputs stay live to the end; inputs are live from scope 0.
        for (const id of g.outputs) expect(plan.buffers.find((x) => x.tensorId === id)!.lastUse).toBe(g.ops.length);
        for (const id of g.inputs) expect(plan.buffers.find((x) => x.tensorId === id)!.firstUse).toBe(0);
        expect(planArena(g, { scratch: (op) => (op.kind === 'CONV_2D' ? scratch : 0) })).toEqual(plan);
      }),
      { numRuns: 500, seed: 9 },
    );
  });

  it('RESHAPE gets its own output buffer (TFLM copies; no in-place sharing)', () => {
    const b = new GraphBuilder('reshape');
    const x = b.addTensor('x', [1, 4, 4, 2], 'int8');
    const shape = b.addConst('s', [2], new Int32Array([1, 32]), 'int32');
    const y = b.addTensor('y', [1, 32], 'int8');
    b.addOp('RESHAPE', 'r', [x, shape], [y], {});
    b.inputs = [x];
    b.outputs = [y];
    const plan = planArena(b.build());
    expect(plan.headBytes).toBe(64);
    expect(findInPlaceOps(b.build(), plan)).toEqual([]);
  });
});

/** MLPerf Tiny's anomaly-detection autoencoder for ToyCar: 640 → 128 ×4 → 8 → 128 ×4 → 640, int8 in and out. */
function toyCarGraph() {
  const b = new GraphBuilder('toycar');
  const q = { scale: [0.1], zeroPoint: [0], axis: 0 };
  let x = b.addTensor('input', [1, 640], 'int8', undefined, q);
  b.inputs = [x];
  const dims = [640, 128, 128, 128, 128, 8, 128, 128, 128, 128, 640];
  for (let i = 1; i < dims.length; i++) {
    const w = b.addConst(`w${i}`, [dims[i]!, dims[i - 1]!], new Int8Array(dims[i]! * dims[i - 1]!), 'int8', {
      scale: [0.01],
      zeroPoint: [0],
      axis: 0,
    });
    const bias = b.addConst(`b${i}`, [dims[i]!], new Int32Array(dims[i]!), 'int32', { scale: [0.001], zeroPoint: [0], axis: 0 });
    const y = b.addTensor(`y${i}`, [1, dims[i]!], 'int8', undefined, q);
    b.addOp('FULLY_CONNECTED', `dense${i}`, [x, w, bias], [y], { activation: i < dims.length - 1 ? 'RELU' : 'NONE', keepNumDims: false });
    x = y;
  }
  b.outputs = [x];
  return b.build();
}

describe('estimateArena on the paper model', () => {
  it.each([
    [64, 48],
    [32, 32],
  ])('the planned head at %i x %i is 40*M*F: conv1 output (32 ch) + pool1 output (8 ch) live together', (M, F) => {
    for (const target of ['tflm-reference', 'tflm-cmsis-nn'] as const) {
      const e = estimateArena(paperInt8Graph(M, F), target);
      expect(e.plan.headBytes).toBe(40 * M * F);
      expect(e.nonPersistentBytes).toBe(40 * M * F);
      expect(e.totalBytes).toBe(e.nonPersistentBytes + e.persistentBytes);
      expect(Object.values(e.breakdown).reduce((s, v) => s + v, 0)).toBe(e.totalBytes);
      // Per-channel multipliers and shifts: two int32 arrays per conv (32 + 64 + 32 + 16 + 1 channels), each a
      // 16-aligned kernel buffer, so the 1-channel conv's 4-byte arrays take 16 each.
      expect(e.breakdown['per-channel multipliers and shifts (8 B per output channel)']).toBe(8 * 144 + 2 * 16);
    }
  });

  // Smallest arenas AllocateTensors accepted with the real Arduino library (TFLM + CMSIS-NN, arm-none-eabi-gcc 12.2).
  it.each([
    ['paper autoencoder 32 × 32 (the demo model)', () => paperInt8Graph(32, 32), 43_780],
    ['the same with --prune-channels 0.5', () => paperInt8Graph(32, 32, [16, 32, 16, 8, 1]), 22_724],
    ["MLPerf Tiny ToyCar's ten FULLY_CONNECTED", toyCarGraph, 2_964],
  ] as const)('%s: the estimate covers the measured arena, within +2%', (_name, build, measured) => {
    const total = estimateArena(build(), 'tflm-cmsis-nn').totalBytes;
    expect(total).toBeGreaterThanOrEqual(measured);
    expect(total).toBeLessThanOrEqual(measured * 1.02);
  });

  it('CMSIS-NN scratch: 2*Cin*Kh*Kw int16 per 3x3 conv; the largest (conv after pool, Cin 64) is 2304 B', () => {
    const g = paperInt8Graph(64, 48);
    const sizes = g.ops.map((op) => scratchRequests(op, g, 'tflm-cmsis-nn'));
    // Cin of the five convs: 1, 32, 64, 32, 16; pool and resize need none.
    expect(sizes).toEqual([[36], [], [1152], [], [2304], [], [1152], [], [576]]);
    expect(g.ops.map((op) => scratchRequests(op, g, 'tflm-reference'))).toEqual(g.ops.map(() => []));
    const e = estimateArena(g, 'tflm-cmsis-nn');
    expect(e.scratchBytes).toBe(48 + 1152 + 2304 + 1152 + 576);
  });

  it('a 1x1 conv with no padding uses the CMSIS-NN fast path, which needs no scratch', () => {
    const b = new GraphBuilder('pw');
    const x = b.addTensor('x', [1, 8, 8, 16], 'int8');
    const w = b.addConst('w', [4, 1, 1, 16], new Int8Array(64), 'int8');
    const y = b.addTensor('y', [1, 8, 8, 4], 'int8');
    b.addOp('CONV_2D', 'pw', [x, w, -1], [y], convOpts);
    b.inputs = [x];
    b.outputs = [y];
    expect(scratchRequests(b.build().ops[0]!, b.build(), 'tflm-cmsis-nn')).toEqual([]);
  });

  it('refuses an unknown target with the list of known ones', () => {
    expect(() => estimateArena(paperInt8Graph(8, 8), 'esp-nn' as never)).toThrow(/tflm-reference, tflm-cmsis-nn/);
  });
});
