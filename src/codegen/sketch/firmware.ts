import { buildFrontEndTables, frontEndFlashBytes, frontEndStateBytes } from '../../audio/fixed/index.js';
import { checkFit, type Board, type Budget } from '../../boards/index.js';
import { fail } from '../../errors.js';
import type { Graph } from '../../model/ir.js';
import { frontEndSpecOf, type RunConfig } from '../../run-config.js';
import type { ArenaEstimate } from '../arena/index.js';
import type { BannerInfo } from '../render.js';
import { emitSketch } from './index.js';
import { planSketch, sketchBufferBytes, type SketchPlan } from './plan.js';
import { generateCModel, type CModel } from '../c-model/index.js';
import { DEFAULT_SKETCH_RUNTIME, type SketchRuntime } from './runtime.js';

export interface FirmwareInput {
  board: Board;
  run: RunConfig;
  graph: Graph;
  tflite: Uint8Array;
  /** How the sketch runs the model (default: the C runtime). */
  runtime?: SketchRuntime;
  /** The TFLM arena estimate, for the tflm runtime. */
  arena: ArenaEstimate;
  sketchName: string;
  force: boolean;
  /** The model path, for messages. */
  where: string;
  banner: BannerInfo;
}

export interface Firmware {
  plan: SketchPlan;
  /** The compiled model, for the C runtime. */
  cModel?: CModel;
  budget: Budget;
  /** Sketch files keyed by `<name>/<path>`. */
  files: Record<string, string>;
}

/**
 * The board target: the run's front-end tables, the model for the chosen
 * runtime (compiled to C, or the flatbuffer for TFLM), the RAM/flash budget
 * (refused with suggestions unless forced), then the sketch. RAM = core +
 * stack + PDM buffers + ring and sketch buffers + front-end state + the
 * model's activations (C: the planned buffer; TFLM: arena estimate + margin).
 */
export function buildFirmware(i: FirmwareInput): Firmware {
  if (i.run.features.wholeClip) {
    fail('RUN_MISMATCH', `${i.where}: the run used the paper's whole-clip features (train --paper), which a streaming device cannot compute; train with the device features (tinypdm train without --paper) to emit a sketch`);
  }
  const runtime = i.runtime ?? DEFAULT_SKETCH_RUNTIME;
  const tables = buildFrontEndTables(frontEndSpecOf(i.run));
  // The sketch runs the Cortex-M4 kernels; the model is C with the front-end's C linkage.
  const cModel = runtime === 'c' ? generateCModel(i.graph, { target: 'cortex-m4', banner: i.banner }) : undefined;
  const plan = planSketch({ name: i.sketchName, fqbn: i.board.fqbn, graph: i.graph, run: i.run, tables, runtime, arena: i.arena, ...(cModel ? { cModel } : {}) });
  const budget = checkFit({
    board: i.board,
    graph: i.graph,
    force: i.force,
    where: i.where,
    parts: {
      runtime,
      arenaBytes: plan.arenaBytes,
      frontEndRamBytes: frontEndStateBytes(tables),
      ringBufferBytes: 2 * plan.ringCapacity,
      otherRamBytes: sketchBufferBytes(plan) - 2 * plan.ringCapacity,
      modelBytes: cModel ? cModel.constBytes : i.tflite.length,
      tablesBytes: frontEndFlashBytes(tables),
      ops: plan.ops,
      pdmBufferBytes: plan.pdmBufferBytes,
      sketch: true,
    },
  });
  const sketch = emitSketch({ plan, tables, tflite: i.tflite, boardName: i.board.name, banner: i.banner, ...(cModel ? { cModel } : {}) });
  const files = Object.fromEntries(Object.entries(sketch).map(([p, c]) => [`${plan.name}/${p}`, c]));
  return { plan, budget, files, ...(cModel ? { cModel } : {}) };
}
