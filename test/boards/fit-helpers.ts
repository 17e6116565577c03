import { paperInt8Graph } from '../fixtures/paper-ir.js';
import type { Graph } from '../../src/ir/graph.js';
import { estimateArena } from '../../src/compiler/index.js';
export { NANO_33_BLE } from '../../src/boards/index.js';
export { checkFit, formatBytes, scaleGraphInput, suggestInputs } from '../../src/compiler/4-plan/index.js';

const paper = paperInt8Graph;

export const estimateArenaFor = {
  paper,
  head: (g: Graph) => estimateArena(g, 'tflm-cmsis-nn').plan.headBytes,
  total: (g: Graph) => estimateArena(g, 'tflm-cmsis-nn').totalBytes,
};
