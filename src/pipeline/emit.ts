import path from 'node:path';
import { writeFile, mkdir } from 'node:fs/promises';
import { fail } from '../errors.js';
import type { Graph } from '../model/ir.js';
import { loadAnyModel, type LoadedModel } from '../model/index.js';
import { calibrate } from '../optimize/calibrate.js';
import { quantizeInt8 } from '../optimize/quantize-int8.js';
import { buildReport, renderReportMarkdown, type EmitReport } from '../report/index.js';
import { writeTflite } from '../tflite/index.js';
import { emitModelData, estimateArena } from '../codegen/index.js';
import { readNpy } from '../util/npy.js';
import { writeAtomically } from '../util/atomic.js';
import { TOOL, VERSION } from '../version.js';

/**
 * `tinypdm emit`: the compiler pipeline, one stage per line.
 * read → optimise → quantise → serialise → render → write (atomically).
 */
export interface EmitOptions {
  model: string;
  out: string;
  calib?: string;
  io: 'int8' | 'float';
  /** The command line to stamp into banners (relative names only, for determinism). */
  command: string;
}

export interface EmitResult {
  outDir: string;
  files: string[];
  report: EmitReport;
  loaded: LoadedModel;
}

export async function emit(opts: EmitOptions): Promise<EmitResult> {
  const loaded = await loadAnyModel(opts.model);
  const floatGraph = loaded.graph;
  const int8Graph = loaded.quantized ? floatGraph : await quantize(floatGraph, opts);
  const tflite = writeTflite(int8Graph, { description: TOOL });
  const floatTflite = loaded.quantized ? undefined : writeTflite(floatGraph, { description: TOOL });
  const arena = estimateArena(int8Graph, 'tflm-cmsis-nn');
  const report = buildReport({ loaded, graph: int8Graph, flatbufferBytes: tflite.length, arena, command: opts.command, version: VERSION });

  const files: Record<string, Uint8Array | string> = {
    'model.tflite': tflite,
    ...(floatTflite ? { 'model_float.tflite': floatTflite } : {}),
    ...emitModelData(tflite, { command: opts.command, version: VERSION }),
    'report.json': `${JSON.stringify(report, null, 2)}\n`,
    'report.md': renderReportMarkdown(report),
  };
  await writeAtomically(opts.out, (tmp) => writeFiles(tmp, files));
  return { outDir: opts.out, files: Object.keys(files).sort(), report, loaded };
}

async function quantize(graph: Graph, opts: EmitOptions): Promise<Graph> {
  if (!opts.calib) {
    fail(
      'MISSING_CALIBRATION',
      `${opts.model}: int8 quantisation needs representative inputs to set activation ranges; pass --calib x.npy (float inputs [N, ${graph.tensors[graph.inputs[0]!]!.shape.slice(1).join(', ')}], e.g. from tinypdm features)`,
    );
  }
  const samples = await readNpy(opts.calib);
  const ranges = calibrate(graph, samples.data, opts.calib);
  return quantizeInt8(graph, { ranges, io: opts.io });
}

async function writeFiles(dir: string, files: Record<string, Uint8Array | string>): Promise<void> {
  for (const [name, content] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
    const target = path.join(dir, name);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}
