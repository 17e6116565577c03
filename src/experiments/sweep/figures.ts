import { buildFrontEndTables, frontEndFlashBytes, frontEndStateBytes } from '../../audio/index.js';
import { budget } from '../../compiler/index.js';
import { getBoard } from '../../boards/index.js';
import { estimateArena } from '../../compiler/index.js';
import type { Graph } from '../../ir/index.js';
import { opStats } from '../../compiler/index.js';
import { frontEndSpecOf, MODEL_INPUT_QUANT, type FeatureSpec } from '../../data/index.js';
import { writeTflite } from '../../compiler/index.js';
import { TOOL } from '../../util/index.js';
import { frontEndInstructionsPerColumn, inferenceInstructions } from './cost-model.js';

/** Device-side figures of one trained configuration: sizes, compute and whether it fits the board. */
export interface DeviceFigures {
  modelBytes: number;
  macs: number;
  arenaBytes: number;
  frontEndRamBytes: number;
  frontEndFlashBytes: number;
  /** Cortex-M4 instructions (estimate): front-end per second of audio, and one inference. */
  frontEndInstructionsPerSecond: number;
  inferenceInstructions: number;
  /** Inferences per second the window hop asks for. */
  inferencesPerSecond: number;
  fitsRam: boolean;
  fitsFlash: boolean;
  ramHeadroom: number;
}

export function deviceFigures(int8Graph: Graph, f: FeatureSpec, boardName = 'nano33ble'): DeviceFigures {
  const modelBytes = writeTflite(int8Graph, { description: TOOL }).length;
  const macs = opStats(int8Graph).reduce((s, o) => s + o.macs, 0);
  const arena = estimateArena(int8Graph, 'tflm-cmsis-nn');
  // Front-end sizes do not depend on the affine's values (any valid one will do), only on whether it is per band.
  const perBand =
    f.norm === 'band' ? { bands: { a: new Array<number>(f.nMels).fill(1 / 100), b: new Array<number>(f.nMels).fill(1), span: 4 } } : {};
  const normalization = { a: 1 / 100, b: 1, dbMin: -100, dbMax: 0, ...perBand };
  const tables = buildFrontEndTables(
    frontEndSpecOf({ features: { ...f, wholeClip: false }, normalization, inputQuant: MODEL_INPUT_QUANT }),
  );
  const columnsPerSecond = f.sampleRate / f.hop;
  const b = budget(getBoard(boardName), {
    arenaBytes: arena.totalBytes,
    frontEndRamBytes: frontEndStateBytes(tables),
    ringBufferBytes: 2 * Math.ceil(f.pdmRate / 10), // 100 ms of int16 at the PDM rate
    modelBytes,
    tablesBytes: frontEndFlashBytes(tables),
    ops: int8Graph.ops.map((o) => o.kind),
  });
  return {
    modelBytes,
    macs,
    arenaBytes: arena.totalBytes,
    frontEndRamBytes: frontEndStateBytes(tables),
    frontEndFlashBytes: frontEndFlashBytes(tables),
    frontEndInstructionsPerSecond: Math.round(frontEndInstructionsPerColumn(tables) * columnsPerSecond),
    inferenceInstructions: inferenceInstructions(int8Graph),
    inferencesPerSecond: columnsPerSecond / (f.wholeClip ? Math.max(1, f.windowFrames) : f.windowHop),
    fitsRam: b.ram.fits,
    fitsFlash: b.flash.fits,
    ramHeadroom: b.ram.headroom,
  };
}
