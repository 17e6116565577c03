import path from 'node:path';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { fail, TinyPdmError } from '../errors.js';
import type { Graph } from '../model/ir.js';
import { loadAnyModel, type SourceModel } from '../model/load-any.js';
import { calibrate } from '../optimize/calibrate.js';
import { quantizeInt8 } from '../optimize/quantize-int8.js';
import { buildPasses, runPasses, sharedScaleWeights, type OptimizeOptions } from '../optimize/passes.js';
import { buildReport, compareAuc, compressionReport, optimizationReport, renderReportMarkdown, type EmitReport, type OptimizationReport } from '../report/index.js';
import { writeTflite } from '../tflite/index.js';
import { emitModelData, estimateArena } from '../codegen/index.js';
import { buildFirmware } from '../codegen/sketch/firmware.js';
import { getBoard } from '../boards/index.js';
import { findRunConfig, parseRunConfig, type RunConfig } from '../run-config.js';
import { readNpy } from '../util/npy.js';
import { writeAtomically } from '../util/atomic.js';
import { validateGraph } from '../model/validate/index.js';
import { checkRuntimeAccepts } from '../verify/runtime-accepts.js';
import { checkSketchName } from '../codegen/sketch/sketch-name.js';
import { TOOL, VERSION } from '../version.js';

/**
 * `tinypdm emit`: the compiler pipeline, one stage per line.
 * run config → read → quantise → serialise → plan arena → board firmware → report → write (atomically).
 */
export interface EmitOptions extends OptimizeOptions {
  model: string;
  out: string;
  calib?: string;
  io: 'int8' | 'float';
  /** The command line to stamp into banners (relative names only, for determinism). */
  command: string;
  /** Emit an Arduino sketch for this board (needs the run config). */
  board?: string;
  sketchName?: string;
  /** tinypdm.json to use instead of the one beside the model. */
  runConfig?: string;
  /** Emit even when the budget says the firmware does not fit. */
  force?: boolean;
  /** The run's WAV dataset: report the AUC before and after the optimisation passes (needs the run config). */
  evalData?: string;
  /** Receives warnings (calibration outliers, passes that skip a layer); without it they are dropped (the passes print theirs). */
  onWarning?: (message: string) => void;
}

export interface EmitResult {
  outDir: string;
  files: string[];
  report: EmitReport;
  loaded: SourceModel;
}

import { DEFAULT_SKETCH_NAME } from '../defaults.js';
export { DEFAULT_SKETCH_NAME };

export async function emit(opts: EmitOptions): Promise<EmitResult> {
  if (opts.sketchName !== undefined) checkSketchName(opts.sketchName);
  const run = await resolveRun(opts);
  // Every loader validates the graph it returns (src/model/validate).
  const loaded = await loadAnyModel(opts.model);
  // Pruning and clustering run on the float graph, before quantisation (src/optimize/passes.ts).
  const passes = buildPasses({ ...opts, ...(run ? { run: run.config } : {}) });
  const optimizing = passes.length > 0 || opts.evalData !== undefined;
  if (optimizing && loaded.quantized) {
    fail('BAD_ARGUMENT', `${opts.model}: the model is already int8; pruning, clustering and --eval-data work on a float model (TF.js, Keras or float .tflite)`);
  }
  const floatGraph = await runPasses(loaded.graph, passes, opts.onWarning);
  // Fine-tuning can diverge into NaN weights; the quantiser would turn them into silent zeros.
  if (passes.length > 0) validateGraph(floatGraph, `${opts.model} (after ${passes.map((p) => p.name).join(', ')})`);
  const shared = sharedScaleWeights(floatGraph, opts);
  const int8Graph = loaded.quantized ? floatGraph : await quantize(floatGraph, opts, run, shared, opts.onWarning);
  validateGraph(int8Graph, `${opts.model} (compiled int8 graph)`);
  const tflite = writeTflite(int8Graph, { description: TOOL });
  const floatTflite = loaded.quantized ? undefined : writeTflite(floatGraph, { description: TOOL });
  // Nothing is written that verify's checks (our reader and validator, the TFLite runtime) would refuse.
  await checkRuntimeAccepts(tflite, `${opts.model} compiled to model.tflite`);
  if (floatTflite) await checkRuntimeAccepts(floatTflite, `${opts.model} compiled to model_float.tflite`);
  const arena = estimateArena(int8Graph, 'tflm-cmsis-nn');
  const banner = { command: opts.command, version: VERSION };
  const firmware = opts.board
    ? buildFirmware({ board: getBoard(opts.board), run: run!.config, graph: int8Graph, tflite, arena, sketchName: opts.sketchName ?? DEFAULT_SKETCH_NAME, force: !!opts.force, where: opts.model, banner })
    : undefined;
  const optimization = optimizing ? await optimizationOf(opts, run, passes.map((p) => p.name), { float: loaded.graph, int8: await quantize(loaded.graph, opts, run, new Set()) }, { float: floatGraph, int8: int8Graph }, tflite) : undefined;
  const report: EmitReport = {
    ...buildReport({ loaded, graph: int8Graph, flatbufferBytes: tflite.length, arena, command: opts.command, version: VERSION }),
    ...(firmware ? { budget: firmware.budget } : {}),
    ...(optimization ? { optimization } : {}),
  };

  const files: Record<string, Uint8Array | string> = {
    'model.tflite': tflite,
    ...(floatTflite ? { 'model_float.tflite': floatTflite } : {}),
    ...emitModelData(tflite, banner),
    ...(firmware?.files ?? {}),
    'report.json': `${JSON.stringify(report, null, 2)}\n`,
    'report.md': renderReportMarkdown(report),
  };
  await writeAtomically(opts.out, (tmp) => writeFiles(tmp, files));
  return { outDir: opts.out, files: Object.keys(files).sort(), report, loaded };
}

/** tinypdm.json from --run-config or beside the model; required for a board target. */
async function resolveRun(opts: EmitOptions): Promise<{ config: RunConfig; dir: string } | undefined> {
  if (opts.runConfig) {
    const text = await readFile(opts.runConfig, 'utf8').catch((e) => fail('FILE_NOT_FOUND', `--run-config ${opts.runConfig}: cannot read it (${(e as Error).message}); pass the tinypdm.json of the training run`, e));
    return { config: parseRunConfig(text, opts.runConfig), dir: path.dirname(opts.runConfig) };
  }
  const found = await findRunConfig(opts.model);
  if (!found && opts.board) {
    fail('RUN_MISMATCH', `${opts.model}: no tinypdm.json beside the model, so the sketch's features, threshold and input quantisation are unknown; train with \`tinypdm train\` (it writes tinypdm.json) or pass --run-config FILE`);
  }
  return found;
}

/** Compression against the plain int8 model and, with --eval-data, the AUC before and after. */
async function optimizationOf(
  opts: EmitOptions,
  run: { config: RunConfig; dir: string } | undefined,
  passes: string[],
  original: { float: Graph; int8: Graph },
  optimized: { float: Graph; int8: Graph },
  tflite: Uint8Array,
): Promise<OptimizationReport> {
  const baseline = compressionReport(original.int8, writeTflite(original.int8, { description: TOOL }));
  let auc;
  if (opts.evalData !== undefined) {
    if (!run) fail('RUN_MISMATCH', `${opts.model}: --eval-data needs the run's tinypdm.json (beside the model or --run-config) for the test split and features`);
    if (opts.io !== 'int8') fail('BAD_ARGUMENT', '--eval-data scores the int8 model as the device does, with int8 input and output; drop --io float');
    auc = await compareAuc({ config: run!.config, data: opts.evalData, original, optimized });
  }
  return optimizationReport(passes, compressionReport(optimized.int8, tflite), baseline, auc);
}

async function quantize(
  graph: Graph,
  opts: EmitOptions,
  run: { config: RunConfig; dir: string } | undefined,
  sharedScale: ReadonlySet<number>,
  onWarning?: (message: string) => void,
): Promise<Graph> {
  const calib = opts.calib ?? (run ? path.resolve(run.dir, run.config.calibration) : undefined);
  if (!calib) {
    fail(
      'MISSING_CALIBRATION',
      `${opts.model}: int8 quantisation needs representative inputs to set activation ranges; pass --calib x.npy (float inputs [N, ${graph.tensors[graph.inputs[0]!]!.shape.slice(1).join(', ')}], e.g. from tinypdm features)`,
    );
  }
  const samples = await readNpy(calib);
  const ranges = calibrate(graph, samples.data, calib, onWarning ? { onWarning } : {});
  try {
    return quantizeInt8(graph, { ranges, io: opts.io, sharedScaleWeights: sharedScale, ...(run ? { inputQuant: run.config.inputQuant } : {}) });
  } catch (e) {
    // The quantiser names the layer and tensor; the user also needs the model file.
    if (e instanceof TinyPdmError && !e.message.includes(opts.model)) throw new TinyPdmError(e.code, `${opts.model}: ${e.message}`, { cause: e });
    throw e;
  }
}

async function writeFiles(dir: string, files: Record<string, Uint8Array | string>): Promise<void> {
  for (const [name, content] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
    const target = path.join(dir, name);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}
