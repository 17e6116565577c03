import { createRng } from '../../src/util/random.js';
import { type Graph, GraphBuilder } from '../../src/ir/index.js';

/**
 * Small float graphs for the pass tests, with seeded weights:
 * input [1,8,8,1] → conv1 (8 filters, RELU) → MAX_POOL 2x2 → PAD 1 → conv2 (6, VALID, RELU)
 * → RESIZE ×2 → conv3 (1, the model output).
 * `filterScale[c]` scales conv1's filter c, so tests can choose which filters are weakest.
 */
export function chainGraph(seed = 1, filterScale: number[] = Array.from({ length: 8 }, () => 1)): Graph {
  const rng = createRng(seed);
  const rand = (n: number, scale = 0.5) => Float32Array.from({ length: n }, () => rng.uniform(-scale, scale));
  const b = new GraphBuilder('chain');
  const conv = { padding: 'SAME' as const, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, activation: 'RELU' as const };
  const x = b.addTensor('x', [1, 8, 8, 1], 'float32');
  const w1 = rand(8 * 9);
  filterScale.forEach((s, c) => {
    for (let i = 0; i < 9; i++) w1[c * 9 + i]! *= s;
  });
  const f1 = b.addConst('conv1/w', [8, 3, 3, 1], w1, 'float32');
  const b1 = b.addConst('conv1/b', [8], rand(8, 0.1), 'float32');
  const a1 = b.addTensor('conv1', [1, 8, 8, 8], 'float32');
  b.addOp('CONV_2D', 'conv1', [x, f1, b1], [a1], conv);
  const p1 = b.addTensor('pool1', [1, 4, 4, 8], 'float32');
  b.addOp('MAX_POOL_2D', 'pool1', [a1], [p1], { padding: 'VALID', strideH: 2, strideW: 2, filterH: 2, filterW: 2, activation: 'NONE' });
  const pads = b.addConst('pad/paddings', [4, 2], Int32Array.from([0, 0, 1, 1, 1, 1, 0, 0]), 'int32');
  const padded = b.addTensor('pad', [1, 6, 6, 8], 'float32');
  b.addOp('PAD', 'pad', [p1, pads], [padded], {});
  const f2 = b.addConst('conv2/w', [6, 3, 3, 8], rand(6 * 9 * 8), 'float32');
  const b2 = b.addConst('conv2/b', [6], rand(6, 0.1), 'float32');
  const a2 = b.addTensor('conv2', [1, 4, 4, 6], 'float32');
  b.addOp('CONV_2D', 'conv2', [padded, f2, b2], [a2], { ...conv, padding: 'VALID' });
  const size = b.addConst('up/size', [2], Int32Array.from([8, 8]), 'int32');
  const up = b.addTensor('up', [1, 8, 8, 6], 'float32');
  b.addOp('RESIZE_NEAREST_NEIGHBOR', 'up', [a2, size], [up], { alignCorners: false, halfPixelCenters: true });
  const f3 = b.addConst('conv3/w', [1, 3, 3, 6], rand(9 * 6), 'float32');
  const b3 = b.addConst('conv3/b', [1], rand(1, 0.1), 'float32');
  const y = b.addTensor('y', [1, 8, 8, 1], 'float32');
  b.addOp('CONV_2D', 'conv3', [up, f3, b3], [y], { ...conv, activation: 'NONE' });
  b.inputs = [x];
  b.outputs = [y];
  return b.build();
}

/** input [1,4,4,2] → conv a (4 filters) → ADD with the input-sized conv b → output. */
export function residualGraph(): Graph {
  const rng = createRng(3);
  const rand = (n: number) => Float32Array.from({ length: n }, () => rng.uniform(-0.5, 0.5));
  const b = new GraphBuilder('residual');
  const conv = { padding: 'SAME' as const, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, activation: 'NONE' as const };
  const x = b.addTensor('x', [1, 4, 4, 2], 'float32');
  const ya = b.addTensor('a', [1, 4, 4, 4], 'float32');
  b.addOp('CONV_2D', 'a', [x, b.addConst('a/w', [4, 1, 1, 2], rand(8), 'float32'), -1], [ya], conv);
  const yb = b.addTensor('b', [1, 4, 4, 4], 'float32');
  b.addOp('CONV_2D', 'b', [x, b.addConst('b/w', [4, 1, 1, 2], rand(8), 'float32'), -1], [yb], conv);
  const sum = b.addTensor('sum', [1, 4, 4, 4], 'float32');
  b.addOp('ADD', 'sum', [ya, yb], [sum], { activation: 'NONE' });
  b.inputs = [x];
  b.outputs = [sum];
  return b.build();
}

/** A graph with no weighted op: input → MAX_POOL → output. */
export function poolOnlyGraph(): Graph {
  const b = new GraphBuilder('pool-only');
  const x = b.addTensor('x', [1, 4, 4, 1], 'float32');
  const y = b.addTensor('y', [1, 2, 2, 1], 'float32');
  b.addOp('MAX_POOL_2D', 'pool', [x], [y], { padding: 'VALID', strideH: 2, strideW: 2, filterH: 2, filterW: 2, activation: 'NONE' });
  b.inputs = [x];
  b.outputs = [y];
  return b.build();
}

export function inputs(count: number, size: number, seed: number): Float32Array[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => Float32Array.from({ length: size }, () => rng.next()));
}

/**
 * The ops fine-tuning rebuilds besides CONV_2D: input [1,8,8,1] →
 * DEPTHWISE_CONV_2D (multiplier 3) → standalone RELU6 → conv (4 filters) →
 * standalone RELU → conv (1 filter, the output). Weights are scaled up so
 * that RELU6 actually clips.
 */
export function depthwiseReluGraph(seed = 4): Graph {
  const rng = createRng(seed);
  const rand = (n: number, scale: number) => Float32Array.from({ length: n }, () => rng.uniform(-scale, scale));
  const b = new GraphBuilder('depthwise-relu');
  const conv = { padding: 'SAME' as const, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, activation: 'NONE' as const };
  const x = b.addTensor('x', [1, 8, 8, 1], 'float32');
  const d = b.addTensor('dw', [1, 8, 8, 3], 'float32');
  b.addOp(
    'DEPTHWISE_CONV_2D',
    'dw',
    [x, b.addConst('dw/w', [1, 3, 3, 3], rand(27, 4), 'float32'), b.addConst('dw/b', [3], rand(3, 1), 'float32')],
    [d],
    { ...conv, depthMultiplier: 3 },
  );
  const r6 = b.addTensor('relu6', [1, 8, 8, 3], 'float32');
  b.addOp('RELU6', 'relu6', [d], [r6], {});
  const c1 = b.addTensor('conv1', [1, 8, 8, 4], 'float32');
  b.addOp(
    'CONV_2D',
    'conv1',
    [r6, b.addConst('conv1/w', [4, 3, 3, 3], rand(108, 0.5), 'float32'), b.addConst('conv1/b', [4], rand(4, 0.1), 'float32')],
    [c1],
    conv,
  );
  const r = b.addTensor('relu', [1, 8, 8, 4], 'float32');
  b.addOp('RELU', 'relu', [c1], [r], {});
  const y = b.addTensor('y', [1, 8, 8, 1], 'float32');
  b.addOp(
    'CONV_2D',
    'conv2',
    [r, b.addConst('conv2/w', [1, 3, 3, 4], rand(36, 0.5), 'float32'), b.addConst('conv2/b', [1], rand(1, 0.1), 'float32')],
    [y],
    conv,
  );
  b.inputs = [x];
  b.outputs = [y];
  return b.build();
}
