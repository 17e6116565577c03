import { estimateArena } from '../../src/codegen/index.js';
import { GraphBuilder } from '../../src/model/builder.js';
import type { Graph } from '../../src/model/ir.js';
export { checkFit, formatBytes, NANO_33_BLE, scaleGraphInput, suggestInputs } from '../../src/boards/index.js';

const q = { scale: [0.05], zeroPoint: [-3], axis: 0 };
const convOpts = { padding: 'SAME' as const, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, activation: 'RELU' as const };

/** The paper's autoencoder at M x F x 1 int8 (FACTS.md §2), built directly in the IR. */
function paper(M: number, F: number): Graph {
  const b = new GraphBuilder('paper');
  let x = b.addTensor('input', [1, M, F, 1], 'int8', undefined, q);
  b.inputs = [x];
  let [h, w, c] = [M, F, 1];
  const conv = (cout: number) => {
    const f = b.addConst('w', [cout, 3, 3, c], new Int8Array(cout * 9 * c), 'int8');
    const bias = b.addConst('b', [cout], new Int32Array(cout), 'int32');
    const y = b.addTensor('conv', [1, h, w, cout], 'int8', undefined, q);
    b.addOp('CONV_2D', 'conv', [x, f, bias], [y], convOpts);
    [x, c] = [y, cout];
  };
  const pool = () => {
    [h, w] = [h / 2, w / 2];
    const y = b.addTensor('pool', [1, h, w, c], 'int8', undefined, q);
    b.addOp('MAX_POOL_2D', 'pool', [x], [y], { padding: 'VALID', strideH: 2, strideW: 2, filterH: 2, filterW: 2, activation: 'NONE' });
    x = y;
  };
  const up = () => {
    [h, w] = [h * 2, w * 2];
    const size = b.addConst('size', [2], new Int32Array([h, w]), 'int32');
    const y = b.addTensor('up', [1, h, w, c], 'int8', undefined, q);
    b.addOp('RESIZE_NEAREST_NEIGHBOR', 'up', [x, size], [y], { alignCorners: false, halfPixelCenters: true });
    x = y;
  };
  conv(32); pool(); conv(64); pool(); conv(32); up(); conv(16); up(); conv(1);
  b.outputs = [x];
  return b.build();
}

export const estimateArenaFor = {
  paper,
  head: (g: Graph) => estimateArena(g, 'tflm-cmsis-nn').plan.headBytes,
  total: (g: Graph) => estimateArena(g, 'tflm-cmsis-nn').totalBytes,
};
