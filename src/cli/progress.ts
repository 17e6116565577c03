import cliProgress from 'cli-progress';
import type { FitProgress, FitStep } from '../learn/index.js';

export interface TrainingProgress {
  callbacks: { onStep?: (s: FitStep) => void; onEpoch?: (p: FitProgress) => void };
  stop(): void;
}

/**
 * Training progress on the terminal: a bar on stderr when it is a TTY; else
 * no callbacks, and `train` logs one line per epoch. Only the CLI draws.
 */
export function trainingProgress(): TrainingProgress {
  if (process.stderr.isTTY !== true) return { callbacks: {}, stop: () => {} };
  let bar: cliProgress.SingleBar | undefined;
  const fmt = (x: number) => x.toPrecision(4);
  return {
    callbacks: {
      onStep: (s) => {
        if (!bar) {
          bar = new cliProgress.SingleBar(
            {
              format: 'train |{bar}| epoch {epoch} | loss {loss} | val {val} | ETA {eta_formatted}',
              stream: process.stderr,
              hideCursor: true,
              clearOnComplete: false,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(s.totalSteps, 0, { epoch: 1, loss: '-', val: '-' });
        }
        bar.update(s.step, { epoch: s.epoch, loss: fmt(s.loss) });
      },
      onEpoch: (p) => bar?.update({ val: fmt(p.valLoss) }),
    },
    stop: () => bar?.stop(),
  };
}
