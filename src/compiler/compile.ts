import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { getBoard, type Board } from '../boards/index.js';
import { calibrationPathOf, describeScoring, findRunConfig, readRunConfig, type RunConfig } from '../data/index.js';
import { readErrorModel } from '../learn/index.js';
import type { Graph } from '../ir/index.js';
import { fail, TinyPdmError } from '../util/index.js';
import { readNpy } from '../util/index.js';
import { writeOutputFolder, type OutputInput } from '../util/index.js';
import { TOOL, VERSION } from '../util/index.js';
import { loadAnyModel, validateGraph, type SourceModel } from './1-load/index.js';
import { buildPasses, runPasses, sharedScaleWeights, type OptimizeOptions } from './2-optimize/index.js';
import { calibrate, quantizeInt8 } from './3-quantize/index.js';
import {
  checkSketchName,
  DEFAULT_SKETCH_RUNTIME,
  estimateArena,
  planFirmware,
  planScoring,
  type FirmwarePlan,
  type SketchRuntime,
  type SketchScoring,
} from './4-plan/index.js';
import { checkRuntimeAccepts, writeTflite } from './5-serialize/index.js';
import {
  buildReport,
  cModelFootprint,
  compressionReport,
  cRuntimeReport,
  emitFirmware,
  emitModelData,
  generateCModel,
  optimizationReport,
  renderReportMarkdown,
  type AucComparison,
  type BannerInfo,
  type CModel,
  type EmitReport,
  type OptimizationReport,
} from './6-emit/index.js';
import { DEFAULT_SKETCH_NAME } from '../defaults.js';

export interface CompileOptions extends OptimizeOptions {
  model: string;
  calib?: string;
  io: 'int8' | 'float';
  /** The command line to stamp into banners (relative names only, for determinism). */
  command: string;
  /** Emit an Arduino sketch for this board (needs the run config). */
  board?: string;
  /** How the sketch runs the model: the model compiled to C (default) or the TFLM interpreter. Only with `board`. */
  runtime?: SketchRuntime;
  sketchName?: string;
  /** tinypdm.json to use instead of the one beside the model. */
  runConfig?: string;
  /** Emit even when the budget says the firmware does not fit. */
  force?: boolean;
  /**
   * Scores the original and the optimised graphs on the run's test split, for
   * the optimisation report (`emit --eval-data`). Injected by the caller, so
   * the compiler does not depend on evaluation (src/evaluate sits above it).
   */
  scoreAuc?: AucScorer;
  /** Non-fatal findings (a pass that had nothing to do, a calibration range an outlier blew up); the CLI prints them. */
  onWarning?: (message: string) => void;
  /** Stops the run between phases and fine-tuning batches: nothing is written, a previous output stays as it was. */
  signal?: AbortSignal;
}

export type AucScorer = (run: RunConfig, graphs: { original: GraphPair; optimized: GraphPair }) => Promise<AucComparison>;
interface GraphPair {
  float: Graph;
  int8: Graph;
}

export interface Compiled {
  /** Output files by relative path. */
  files: Record<string, Uint8Array | string>;
  report: EmitReport;
  loaded: SourceModel;
}

/**
 * The compiler, phase by phase: a trained model in, the int8 flatbuffer, its C
 * array, the report and (with a board) the sketch out, all in memory.
 */
export async function compile(opts: CompileOptions): Promise<Compiled> {
  checkOptions(opts);
  return compileRun(opts, await resolveRun(opts)); // tinypdm.json: features, threshold, calibration, split
}

/** Flags checked before any work; `ci` applies the same sketch-name check, so a name one accepts the other never refuses. */
function checkOptions(opts: CompileOptions): void {
  if (opts.sketchName !== undefined) checkSketchName(opts.sketchName);
  if (opts.runtime !== undefined && !opts.board) {
    fail('BAD_ARGUMENT', `--runtime ${opts.runtime} chooses how the board sketch runs the model; pass --board nano33ble with it`);
  }
}

async function compileRun(opts: CompileOptions, run: { config: RunConfig; dir: string } | undefined): Promise<Compiled> {
  const signal = opts.signal;
  const loaded = await loadAnyModel(opts.model); // 1 load: format by content, read, lower to the IR, validate
  signal?.throwIfAborted();
  const passes = buildPasses({ ...opts, ...(run ? { run: run.config } : {}) });
  const optimizing = passes.length > 0 || opts.scoreAuc !== undefined;
  if (optimizing && loaded.quantized) {
    fail(
      'BAD_ARGUMENT',
      `${opts.model}: the model is already int8; pruning, clustering and --eval-data work on a float model (TF.js, Keras or float .tflite)`,
    );
  }
  const float = await runPasses(loaded.graph, passes, opts.onWarning); // 2 optimise the float graph
  // Fine-tuning can diverge into NaN weights; the quantiser would turn them into silent zeros.
  if (passes.length > 0) validateGraph(float, `${opts.model} (after ${passes.map((p) => p.name).join(', ')})`);
  signal?.throwIfAborted();
  const quantize = loaded.quantized ? undefined : await quantizerFor(opts, run, float);
  const int8 = quantize ? quantize(float, sharedScaleWeights(float, opts), opts.onWarning) : float; // 3 quantise
  validateGraph(int8, `${opts.model} (compiled int8 graph)`);
  const arena = estimateArena(int8, 'tflm-cmsis-nn'); // 4 plan the arena
  signal?.throwIfAborted();
  const tflite = writeTflite(int8, { description: TOOL }); // 5 serialise
  const floatTflite = loaded.quantized ? undefined : writeTflite(float, { description: TOOL });
  // Nothing is written that verify's checks (our reader and validator, the TFLite runtime) would refuse.
  await checkRuntimeAccepts(tflite, `${opts.model} compiled to model.tflite`);
  if (floatTflite) await checkRuntimeAccepts(floatTflite, `${opts.model} compiled to model_float.tflite`);
  signal?.throwIfAborted();
  const banner = { command: opts.command, version: VERSION };
  const scoring =
    opts.board && run?.config.scoring
      ? planScoring(run.config.scoring, await readErrorModel(run.dir, run.config), describeScoring(run.config.scoring))
      : undefined;
  const firmware = opts.board ? planBoard(getBoard(opts.board), opts, run, int8, tflite, arena, banner, scoring) : undefined; // 4 plan the board
  const optimization = optimizing
    ? await optimizationOf(
        opts,
        run,
        passes.map((p) => p.name),
        { float: loaded.graph, int8: quantize!(loaded.graph, new Set()) },
        { float, int8 },
        tflite,
      )
    : undefined;
  const report: EmitReport = {
    ...buildReport({ loaded, graph: int8, flatbufferBytes: tflite.length, arena, command: opts.command, version: VERSION }),
    ...(firmware ? { budget: firmware.plan.budget } : {}),
    ...(firmware?.cModel ? { cRuntime: cRuntimeReport(firmware.cModel) } : {}),
    ...(optimization ? { optimization } : {}),
  };
  const files: Record<string, Uint8Array | string> = {
    // 6 emit
    'model.tflite': tflite,
    ...(floatTflite ? { 'model_float.tflite': floatTflite } : {}),
    ...emitModelData(tflite, banner),
    ...(firmware ? emitFirmware(firmware.plan, tflite, firmware.board.name, banner, firmware.cModel) : {}),
    'report.json': `${JSON.stringify(report, null, 2)}\n`,
    'report.md': renderReportMarkdown(report),
  };
  return { files, report, loaded };
}

export interface EmitOptions extends CompileOptions {
  out: string;
  /** Inputs besides those compile reads itself (e.g. the --eval-data folder): `out` may not be, nor hold, any of them. */
  otherInputs?: OutputInput[];
}

export interface EmitResult {
  outDir: string;
  /** The files written, by relative path, sorted. */
  files: string[];
  report: EmitReport;
  loaded: SourceModel;
}

/**
 * `tinypdm emit`: compile, then write every file into `out` (src/util/output:
 * the destination is checked and locked before any work, the files built in a
 * temp folder and swapped in).
 */
export async function emit(opts: EmitOptions): Promise<EmitResult> {
  checkOptions(opts);
  const run = await resolveRun(opts);
  const inputs = [...(await emitInputs(opts, run)), ...(opts.otherInputs ?? [])];
  return writeOutputFolder({ dest: opts.out, command: 'emit', inputs, ...(opts.signal ? { signal: opts.signal } : {}) }, async (dir) => {
    const { files, report, loaded } = await compileRun(opts, run);
    opts.signal?.throwIfAborted();
    await writeFiles(dir, files);
    return { outDir: opts.out, files: Object.keys(files).sort(), report, loaded };
  });
}

/** Everything emit reads: the destination may be none of these, nor a folder holding one. */
async function emitInputs(opts: EmitOptions, run: { config: RunConfig; dir: string } | undefined): Promise<Array<OutputInput | undefined>> {
  const optional = (what: string, p: string | undefined) => (p === undefined ? undefined : { what, path: p });
  const isFolder = (await stat(opts.model).catch(() => undefined))?.isDirectory() ?? false;
  return [
    { what: 'the model', path: opts.model },
    // A model.json's weight shards live in its folder, and a model file's neighbours are the user's.
    { what: 'the folder of the model', path: isFolder ? opts.model : path.dirname(opts.model) },
    optional('the run folder', run?.dir),
    optional('the run config', opts.runConfig),
    optional('the calibration file', opts.calib ?? (run ? path.join(run.dir, run.config.calibration) : undefined)),
    optional('the --data folder', opts.data),
  ];
}

/** tinypdm.json from --run-config or beside the model; required for a board target. */
async function resolveRun(opts: CompileOptions): Promise<{ config: RunConfig; dir: string } | undefined> {
  if (opts.runConfig) return { config: await readRunConfig(opts.runConfig, '--run-config'), dir: path.dirname(opts.runConfig) };
  const found = await findRunConfig(opts.model);
  if (!found && opts.board) {
    fail(
      'RUN_MISMATCH',
      `${opts.model}: no tinypdm.json beside the model, so the sketch's features, threshold and input quantisation are unknown; train with \`tinypdm train\` (it writes tinypdm.json) or pass --run-config FILE`,
    );
  }
  if (!found && opts.scoreAuc)
    fail(
      'RUN_MISMATCH',
      `${opts.model}: --eval-data needs the run's tinypdm.json (beside the model or --run-config) for the test split and features`,
    );
  return found;
}

/** Calibrates on --calib (or the run's calib.npy) once; the returned function quantises any float graph of this model with those samples. */
async function quantizerFor(opts: CompileOptions, run: { config: RunConfig; dir: string } | undefined, graph: Graph) {
  const calib = opts.calib ?? (run ? await calibrationPathOf(run) : undefined);
  if (!calib) {
    fail(
      'MISSING_CALIBRATION',
      `${opts.model}: int8 quantisation needs representative inputs to set activation ranges; pass --calib x.npy (float inputs [N, ${graph.tensors[graph.inputs[0]!]!.shape.slice(1).join(', ')}], e.g. from tinypdm features)`,
    );
  }
  const samples = await readNpy(calib);
  // onWarning: calibration's outlier warning, for the graph that is compiled (not the optimisation report's baseline).
  return (g: Graph, sharedScaleWeights: ReadonlySet<number>, onWarning?: (message: string) => void) => {
    const ranges = calibrate(g, samples.data, calib, onWarning ? { onWarning } : {});
    try {
      return quantizeInt8(g, { ranges, io: opts.io, sharedScaleWeights, ...(run ? { inputQuant: run.config.inputQuant } : {}) });
    } catch (e) {
      // The quantiser names the layer and tensor; the user also needs the model file.
      if (!(e instanceof TinyPdmError) || e.message.includes(opts.model)) throw e;
      throw new TinyPdmError(e.code, `${opts.model}: ${e.message}`, { cause: e });
    }
  };
}

/**
 * The board target, planned. For the C runtime the model is compiled to C first
 * (phase 6's generator, on the Cortex-M4 kernels the sketch runs), so the plan
 * holds its exact activation buffer, constants and calls.
 */
function planBoard(
  board: Board,
  opts: CompileOptions,
  run: { config: RunConfig } | undefined,
  graph: Graph,
  tflite: Uint8Array,
  arena: ReturnType<typeof estimateArena>,
  banner: BannerInfo,
  scoring: SketchScoring | undefined,
): { board: Board; plan: FirmwarePlan; cModel?: CModel } {
  const runtime = opts.runtime ?? DEFAULT_SKETCH_RUNTIME;
  const cModel = runtime === 'c' ? generateCModel(graph, { target: 'cortex-m4', banner }) : undefined;
  const plan = planFirmware({
    board,
    run: run!.config,
    graph,
    runtime,
    modelBytes: tflite.length,
    arena,
    ...(cModel ? { cModel: cModelFootprint(cModel) } : {}),
    sketchName: opts.sketchName ?? DEFAULT_SKETCH_NAME,
    force: !!opts.force,
    where: opts.model,
    ...(scoring ? { scoring } : {}),
  });
  return { board, plan, ...(cModel ? { cModel } : {}) };
}

/** Compression against the plain int8 model and, with a scorer, the AUC before and after. */
async function optimizationOf(
  opts: CompileOptions,
  run: { config: RunConfig } | undefined,
  passes: string[],
  original: GraphPair,
  optimized: GraphPair,
  tflite: Uint8Array,
): Promise<OptimizationReport> {
  const baseline = compressionReport(original.int8, writeTflite(original.int8, { description: TOOL }));
  if (opts.scoreAuc && opts.io !== 'int8')
    fail('BAD_ARGUMENT', '--eval-data scores the int8 model as the device does, with int8 input and output; drop --io float');
  const auc = opts.scoreAuc ? await opts.scoreAuc(run!.config, { original, optimized }) : undefined;
  return optimizationReport(passes, compressionReport(optimized.int8, tflite), baseline, auc);
}

async function writeFiles(dir: string, files: Record<string, Uint8Array | string>): Promise<void> {
  for (const [name, content] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
    const target = path.join(dir, name);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}
