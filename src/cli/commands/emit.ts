import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { cancellable } from '../interrupt.js';
import { DEFAULT_SKETCH_NAME } from '../../defaults.js';
import type { OptimizeOptions } from '../../compiler/index.js';

export interface EmitArgs {
  model: string;
  out: string;
  calib?: string;
  io: 'int8' | 'float';
  board?: string;
  runtime?: 'c' | 'tflm';
  sketchName?: string;
  runConfig?: string;
  force: boolean;
  prune?: number;
  pruneScope: 'layer' | 'global';
  pruneChannels?: number;
  pruneNorm: 'l1' | 'l2';
  cluster?: number;
  clusterInit: 'linear' | 'density' | 'kmeans++';
  finetune?: number;
  finetuneLr?: number;
  data?: string;
  evalData?: string;
}

/** The command line as stamped into generated files: base names only, so outputs do not depend on where they were made. */
export function stampedCommand(name: string, positional: string[], flags: Record<string, string | number | boolean | undefined>): string {
  const parts = ['tinypdm', name, ...positional.map((p) => path.basename(p))];
  for (const [k, v] of Object.entries(flags)) {
    if (v === undefined || v === false) continue;
    parts.push(v === true ? `--${k}` : `--${k} ${typeof v === 'string' && v.includes(path.sep) ? path.basename(v) : v}`);
  }
  return parts.join(' ');
}

export const emitCommand: CommandModule<object, EmitArgs> = {
  command: 'emit <model>',
  describe:
    'Compile a trained model (TF.js model.json, Keras .h5 / .keras, or .tflite) into an int8 TFLite flatbuffer, a C array, a report and (--board) an Arduino sketch',
  builder: (y: Argv) =>
    y
      .positional('model', {
        type: 'string',
        demandOption: true,
        describe: 'TF.js model.json (or its folder), Keras .h5 or .keras, or a .tflite file (detected by content)',
      })
      .option('out', { alias: 'o', type: 'string', default: 'out', describe: 'Output folder (new, empty, or an earlier emit output)' })
      .option('calib', { type: 'string', describe: 'Representative float inputs [N, ...input shape] as .npy, for int8 calibration' })
      .option('io', {
        choices: ['int8', 'float'] as const,
        default: 'int8' as const,
        describe: 'Model input/output type; float adds QUANTIZE/DEQUANTIZE',
      })
      .option('board', { type: 'string', describe: 'Also write an Arduino sketch for this board (nano33ble); needs the run config' })
      .option('runtime', {
        choices: ['c', 'tflm'] as const,
        describe:
          'How the sketch runs the model (with --board): c = compiled to C, no library beyond the Arduino core (default); tflm = the TFLM interpreter of Arduino_TensorFlowLite',
      })
      .option('sketch-name', { type: 'string', describe: `Sketch folder and .ino name (default ${DEFAULT_SKETCH_NAME})` })
      .option('run-config', { type: 'string', describe: "The training run's tinypdm.json, if it is not beside the model" })
      .option('force', { type: 'boolean', default: false, describe: 'Write the sketch even if the RAM/flash budget says it does not fit' })
      .example(
        '$0 emit run/model.json --board nano33ble --out build',
        'also build/tinypdm_detector/ (the sketch, with the model compiled to C) and the RAM/flash budget in report.md',
      )
      .example(
        '$0 emit run/model.json --board nano33ble --runtime tflm --out build',
        'the sketch runs the model with the TFLM interpreter (needs Arduino_TensorFlowLite)',
      )
      .option('prune', { type: 'number', describe: 'Unstructured magnitude pruning: fraction of weights set to zero, in [0, 1)' })
      .option('prune-scope', {
        choices: ['layer', 'global'] as const,
        default: 'layer' as const,
        describe: '--prune per layer, or one threshold over all layers',
      })
      .option('prune-channels', {
        type: 'number',
        describe: "Structured pruning: fraction of each conv's filters to remove, in [0, 1); shapes and MACs shrink",
      })
      .option('prune-norm', {
        choices: ['l1', 'l2'] as const,
        default: 'l1' as const,
        describe: 'Filter norm that ranks filters for --prune-channels',
      })
      .option('cluster', {
        type: 'number',
        describe: 'Weight clustering: K shared values per layer (2..256), applied after pruning, before int8',
      })
      .option('cluster-init', {
        choices: ['linear', 'density', 'kmeans++'] as const,
        default: 'linear' as const,
        describe: 'Centroid initialisation for --cluster',
      })
      .option('finetune', {
        type: 'number',
        describe:
          'Fine-tune E epochs: --prune becomes gradual (PolynomialDecay, mask held at the end), then again after --cluster holding zeros and clusters (needs --data)',
      })
      .option('finetune-lr', { type: 'number', describe: 'Adam learning rate for --finetune (default 0.0005)' })
      .option('data', {
        type: 'string',
        describe:
          "Fine-tuning data for --finetune: the run's WAV dataset (uses its tinypdm.json) or a folder with train.npy (and optionally val.npy)",
      })
      .option('eval-data', {
        type: 'string',
        describe: "The run's WAV dataset: report the AUC before and after optimisation on the run's test split (needs tinypdm.json)",
      })
      .example(
        '$0 emit run/model.json --prune 0.5 --cluster 16 --finetune 10 --data data --eval-data data',
        "pruned and clustered int8 model, fine-tuned on the run's training clips; AUC before/after in report.md",
      )
      .example(
        '$0 emit run/model.json --calib calib.npy --out build',
        'int8 model.tflite, model_data.{h,cpp}, report.{json,md} in build/',
      ) as unknown as Argv<EmitArgs>,
  handler: async (args) => {
    const { emit } = await import('../../index.js');
    const optimize = optimizeFlags(args);
    const command = stampedCommand('emit', [args.model], {
      calib: args.calib,
      io: args.io,
      board: args.board,
      runtime: args.runtime,
      'sketch-name': args.sketchName,
      'run-config': args.runConfig,
      force: args.force,
      ...optimize.stamped,
      'eval-data': args.evalData,
    });
    const r = await cancellable((signal) =>
      emit({
        model: args.model,
        out: args.out,
        ...(args.calib ? { calib: args.calib } : {}),
        io: args.io,
        command,
        ...(args.board ? { board: args.board } : {}),
        ...(args.runtime ? { runtime: args.runtime } : {}),
        ...(args.sketchName !== undefined ? { sketchName: args.sketchName } : {}),
        ...(args.runConfig ? { runConfig: args.runConfig } : {}),
        force: args.force,
        ...optimize.options,
        ...(args.evalData !== undefined ? { evalData: args.evalData } : {}),
        onWarning: (message) => process.stderr.write(`warning: ${message}\n`),
        signal,
      }),
    );
    const t = r.report.totals;
    process.stdout.write(
      `read ${r.loaded.format}${r.loaded.kerasVersion ? ` (Keras ${r.loaded.kerasVersion})` : ''}, ${r.loaded.layerCount} layers from ${args.model}\n` +
        `wrote ${r.files.join(', ')} to ${r.outDir}\n` +
        `${t.params.toLocaleString('en-US')} params, ${t.macs.toLocaleString('en-US')} MACs, flatbuffer ${t.flatbufferBytes.toLocaleString('en-US')} B, arena ${r.report.arena.totalBytes.toLocaleString('en-US')} B\n`,
    );
    const o = r.report.optimization;
    if (o) {
      process.stdout.write(
        `optimised vs plain int8: MACs ${o.ratios.macs.toFixed(3)}×, flatbuffer ${o.ratios.flatbufferBytes.toFixed(3)}×, gzip ${o.ratios.flatbufferGzipBytes.toFixed(3)}×\n`,
      );
      if (o.auc)
        process.stdout.write(
          `AUC int8 ${o.auc.original.int8.toFixed(4)} → ${o.auc.optimized.int8.toFixed(4)} (float original ${o.auc.original.float.toFixed(4)})\n`,
        );
    }
    const b = r.report.budget;
    if (b) {
      const line = (what: string, s: typeof b.ram) =>
        `${what} ${s.total.toLocaleString('en-US')} / ${s.limit.toLocaleString('en-US')} B${s.fits ? '' : ' (DOES NOT FIT, forced)'}`;
      process.stdout.write(`${b.board}: ${line('RAM', b.ram)}, ${line('flash', b.flash)} (estimates; report.md has the rows)\n`);
    }
  },
};

/** The optimisation flags as EmitOptions, and as stamped into banners (only those given, non-default scopes only with their pass). */
function optimizeFlags(args: EmitArgs): { options: OptimizeOptions; stamped: Record<string, string | number | undefined> } {
  const options: OptimizeOptions = {
    ...(args.prune !== undefined ? { prune: args.prune, pruneScope: args.pruneScope } : {}),
    ...(args.pruneChannels !== undefined ? { pruneChannels: args.pruneChannels, pruneNorm: args.pruneNorm } : {}),
    ...(args.cluster !== undefined ? { cluster: args.cluster, clusterInit: args.clusterInit } : {}),
    ...(args.finetune !== undefined ? { finetune: args.finetune } : {}),
    ...(args.finetuneLr !== undefined ? { finetuneLearningRate: args.finetuneLr } : {}),
    ...(args.data !== undefined ? { data: args.data } : {}),
  };
  return {
    options,
    stamped: {
      prune: options.prune,
      'prune-scope': options.prune !== undefined && options.pruneScope !== 'layer' ? options.pruneScope : undefined,
      'prune-channels': options.pruneChannels,
      'prune-norm': options.pruneChannels !== undefined && options.pruneNorm !== 'l1' ? options.pruneNorm : undefined,
      cluster: options.cluster,
      'cluster-init': options.cluster !== undefined && options.clusterInit !== 'linear' ? options.clusterInit : undefined,
      finetune: options.finetune,
      'finetune-lr': options.finetuneLearningRate,
      data: options.data,
    },
  };
}
