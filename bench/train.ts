/**
 * Demo-scale training time: the paper autoencoder on the `tinypdm synth`
 * demo set (default options) at 6000 Hz for the default epochs, device
 * features, wasm or tfjs-node backend. Features are computed (and cached)
 * first and timed separately from the fit.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { train } from '../src/learn/index.js';
import { SYNTH_DEMO_DEFAULTS, TRAIN_DEFAULTS } from '../src/defaults.js';
import { synthesizeDataset } from '../src/data/index.js';

export interface TrainBench {
  rate: number;
  backend: string;
  dataset: typeof SYNTH_DEMO_DEFAULTS;
  epochsRun: number;
  epochsMax: number;
  trainWindows: number;
  valWindows: number;
  synthSeconds: number;
  featureSeconds: number;
  fitSeconds: number;
  secondsPerEpoch: number;
}

export async function benchTrain(rate = 6000): Promise<TrainBench> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tinypdm-bench-train-'));
  try {
    const data = path.join(dir, 'data');
    let t = performance.now();
    await synthesizeDataset({ outDir: data, ...SYNTH_DEMO_DEFAULTS });
    const synthSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    const r = await train({ data, rate, out: path.join(dir, 'run'), log: (l) => process.stderr.write(`  ${l}\n`) });
    const epochsRun = r.config.history.loss.length;
    return {
      rate,
      backend: r.backend,
      dataset: SYNTH_DEMO_DEFAULTS,
      epochsRun,
      epochsMax: TRAIN_DEFAULTS.epochs,
      trainWindows: r.windows.train,
      valWindows: r.windows.val,
      synthSeconds: round(synthSeconds),
      featureSeconds: round(r.seconds.features),
      fitSeconds: round(r.seconds.fit),
      secondsPerEpoch: round(r.seconds.fit / epochsRun),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
