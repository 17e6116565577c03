import { buildFrontEndTables, frontEndFlashBytes, frontEndStateBytes } from '../../../audio/fixed/index.js';
import { checkFit, type Board, type Budget } from '../../../boards/index.js';
import { fail } from '../../../util/errors.js';
import type { Graph } from '../../../ir/graph.js';
import { frontEndSpecOf, type RunConfig } from '../../../data/run-config.js';
import type { ArenaEstimate } from '../../4-plan/arena/index.js';
import type { BannerInfo } from '../render.js';
import { emitSketch } from './index.js';
import { planSketch, sketchBufferBytes, type SketchPlan } from './plan.js';

export interface FirmwareInput {
  board: Board;
  run: RunConfig;
  graph: Graph;
  tflite: Uint8Array;
  arena: ArenaEstimate;
  sketchName: string;
  force: boolean;
  /** The model path, for messages. */
  where: string;
  banner: BannerInfo;
}

export interface Firmware {
  plan: SketchPlan;
  budget: Budget;
  /** Sketch files keyed by `<name>/<path>`. */
  files: Record<string, string>;
}

/**
 * The board target: the run's front-end tables, the RAM/flash budget (refused
 * with suggestions unless forced), then the sketch. RAM = core + stack + PDM
 * buffers + ring and sketch buffers + front-end state + arena (+ margin).
 */
export function buildFirmware(i: FirmwareInput): Firmware {
  if (i.run.features.wholeClip) {
    fail('RUN_MISMATCH', `${i.where}: the run used the paper's whole-clip features (train --paper), which a streaming device cannot compute; train with the device features (tinypdm train without --paper) to emit a sketch`);
  }
  const tables = buildFrontEndTables(frontEndSpecOf(i.run));
  const plan = planSketch({ name: i.sketchName, fqbn: i.board.fqbn, graph: i.graph, run: i.run, tables, arena: i.arena });
  const budget = checkFit({
    board: i.board,
    graph: i.graph,
    force: i.force,
    where: i.where,
    parts: {
      arenaBytes: plan.arenaBytes,
      frontEndRamBytes: frontEndStateBytes(tables),
      ringBufferBytes: 2 * plan.ringCapacity,
      otherRamBytes: sketchBufferBytes(plan) - 2 * plan.ringCapacity,
      modelBytes: i.tflite.length,
      tablesBytes: frontEndFlashBytes(tables),
      ops: plan.ops,
      pdmBufferBytes: plan.pdmBufferBytes,
    },
  });
  const sketch = emitSketch({ plan, tables, tflite: i.tflite, boardName: i.board.name, banner: i.banner });
  const files = Object.fromEntries(Object.entries(sketch).map(([p, c]) => [`${plan.name}/${p}`, c]));
  return { plan, budget, files };
}
