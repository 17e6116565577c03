import { estimateArena } from '../../src/compiler/6-emit/index.js';
import { paperInt8Graph } from '../fixtures/paper-ir.js';
import type { Graph } from '../../src/ir/graph.js';
export { checkFit, formatBytes, NANO_33_BLE, scaleGraphInput, suggestInputs } from '../../src/boards/index.js';

const paper = paperInt8Graph;

export const estimateArenaFor = {
  paper,
  head: (g: Graph) => estimateArena(g, 'tflm-cmsis-nn').plan.headBytes,
  total: (g: Graph) => estimateArena(g, 'tflm-cmsis-nn').totalBytes,
};
