import { buildFrontEndTables, frontEndFlashBytes, frontEndStateBytes, type FrontEndTables } from '../../audio/index.js';
import type { Board } from '../../boards/index.js';
import { frontEndSpecOf, type RunConfig } from '../../data/index.js';
import type { Graph } from '../../ir/index.js';
import { fail } from '../../util/index.js';
import type { ArenaEstimate } from './arena/index.js';
import type { Budget } from './budget.js';
import { checkFit } from './fit.js';
import { planSketch, sketchBufferBytes, type SketchPlan } from './sketch-plan.js';

export interface FirmwarePlanInput {
  board: Board;
  run: RunConfig;
  graph: Graph;
  /** The int8 flatbuffer's size, stored in flash. */
  modelBytes: number;
  arena: ArenaEstimate;
  sketchName: string;
  force: boolean;
  /** The model path, for messages. */
  where: string;
}

export interface FirmwarePlan {
  plan: SketchPlan;
  tables: FrontEndTables;
  budget: Budget;
}

/**
 * The board target, before anything is rendered: the run's front-end tables,
 * the sketch's numbers, and the RAM/flash budget, refused with suggestions
 * unless forced. RAM = core + stack + PDM buffers + ring and sketch buffers +
 * front-end state + arena (+ margin).
 */
export function planFirmware(i: FirmwarePlanInput): FirmwarePlan {
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
      modelBytes: i.modelBytes,
      tablesBytes: frontEndFlashBytes(tables),
      ops: plan.ops,
      pdmBufferBytes: plan.pdmBufferBytes,
    },
  });
  return { plan, tables, budget };
}
