/**
 * Issue 6's acceptance, measured: the demo run (paper autoencoder, 32 Mel ×
 * 32 frames at 6000 Hz, `npm run demo`) pruned and clustered by `emit`,
 * fine-tuned on the run's own training clips, AUC before/after on the run's
 * test split, and every optimised model checked by `verify` against the real
 * TFLite runtime. Uses demo-out/ when it exists (copied, never written),
 * otherwise synthesises the demo dataset and trains the run first.
 */
import { cp, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { emit } from '../src/index.js';
import { train } from '../src/learn/index.js';
import { verifyModel } from '../src/verify/verify.js';
import type { OptimizeOptions } from '../src/compiler/2-optimize/index.js';
import { SYNTH_DEMO_DEFAULTS } from '../src/defaults.js';
import { synthesizeDataset } from '../src/data/index.js';

const RATE = 6000;

interface Config {
  name: string;
  flags: string;
  options: OptimizeOptions;
  /** The bars for this configuration. */
  bars: { maxAucLoss: number; maxGzipRatio?: number; maxMacsRatio?: number; maxFlatbufferRatio?: number };
}

const CONFIGS: Config[] = [
  {
    name: 'unstructured50-cluster16',
    flags: '--prune 0.5 --cluster 16 --finetune 10',
    options: { prune: 0.5, pruneScope: 'layer', cluster: 16, clusterInit: 'linear', finetune: 10 },
    bars: { maxAucLoss: 0.01, maxGzipRatio: 0.5 },
  },
  {
    // Half the filters of every layer is a large change: it wants more epochs at a larger step than the default 5e-4.
    name: 'structured50',
    flags: '--prune-channels 0.5 --finetune 30 --finetune-lr 0.002',
    options: { pruneChannels: 0.5, pruneNorm: 'l1', finetune: 30, finetuneLearningRate: 0.002 },
    bars: { maxAucLoss: 0.02, maxMacsRatio: 0.6, maxFlatbufferRatio: 0.6 },
  },
];

export async function benchOptimize(): Promise<Record<string, unknown>> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'tinypdm-bench-opt-'));
  try {
    const { run, data, source } = await demoRun(work);
    const results = [];
    for (const c of CONFIGS) {
      process.stderr.write(`  ${c.name}: emit ${c.flags} --data --eval-data\n`);
      const out = path.join(work, c.name);
      const t0 = performance.now();
      const r = await emit({
        model: path.join(run, 'model.json'),
        out,
        io: 'int8',
        command: `bench ${c.flags}`,
        ...c.options,
        data,
        evalData: data,
      });
      const seconds = (performance.now() - t0) / 1000;
      const o = r.report.optimization!;
      const v = await verifyModel({
        modelPath: path.join(out, 'model.tflite'),
        calibPath: path.join(run, 'calib.npy'),
        randomInputs: 16,
        seed: 1,
        maxLsb: 1,
        minIdenticalShare: 0.99,
      });
      const auc = o.auc!;
      const checks = {
        aucLoss: auc.lossVsInt8 <= c.bars.maxAucLoss,
        ...(c.bars.maxGzipRatio !== undefined ? { gzip: o.ratios.flatbufferGzipBytes <= c.bars.maxGzipRatio } : {}),
        ...(c.bars.maxMacsRatio !== undefined ? { macs: o.ratios.macs <= c.bars.maxMacsRatio } : {}),
        ...(c.bars.maxFlatbufferRatio !== undefined ? { flatbuffer: o.ratios.flatbufferBytes <= c.bars.maxFlatbufferRatio } : {}),
        verify: v.passed,
      };
      results.push({
        name: c.name,
        flags: c.flags,
        passes: o.passes,
        auc: {
          originalFloat: r4(auc.original.float),
          originalInt8: r4(auc.original.int8),
          optimizedFloat: r4(auc.optimized.float),
          optimizedInt8: r4(auc.optimized.int8),
          lossVsInt8: r4(auc.lossVsInt8),
        },
        macs: { plain: o.baseline.macs, optimized: o.compression.totals.macs, ratio: r4(o.ratios.macs) },
        flatbufferBytes: {
          plain: o.baseline.flatbufferBytes,
          optimized: o.compression.totals.flatbufferBytes,
          ratio: r4(o.ratios.flatbufferBytes),
        },
        flatbufferGzipBytes: {
          plain: o.baseline.flatbufferGzipBytes,
          optimized: o.compression.totals.flatbufferGzipBytes,
          ratio: r4(o.ratios.flatbufferGzipBytes),
        },
        sparsity: r4(o.compression.totals.sparsity),
        maxDistinctPerChannel: Math.max(...o.compression.layers.map((l) => l.distinctPerChannel.max)),
        verify: { passed: v.passed, maxLsb: v.agreement.maxLsb, identicalShare: r4(v.agreement.identicalShare) },
        bars: c.bars,
        checks,
        met: Object.values(checks).every(Boolean),
        seconds: Math.round(seconds),
      });
    }
    return { run: source, rate: RATE, configs: results };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** demo-out/run + data copied into `work`, or a fresh demo-scale run when there is none. */
async function demoRun(work: string): Promise<{ run: string; data: string; source: string }> {
  const demo = path.resolve('demo-out');
  const run = path.join(work, 'run');
  const data = path.join(work, 'data');
  const has = await stat(path.join(demo, 'run', 'tinypdm.json')).then(
    () => true,
    () => false,
  );
  if (has) {
    await cp(path.join(demo, 'run'), run, { recursive: true });
    await cp(path.join(demo, 'data'), data, { recursive: true });
    return { run, data, source: 'demo-out/run (npm run demo)' };
  }
  process.stderr.write('  no demo-out/run: synthesising the demo dataset and training at 6000 Hz\n');
  await synthesizeDataset({ outDir: data, ...SYNTH_DEMO_DEFAULTS });
  await train({ data, rate: RATE, out: run, epochs: 30 });
  return { run, data, source: 'fresh demo-scale run (synth defaults, train --rate 6000 --epochs 30)' };
}

function r4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
