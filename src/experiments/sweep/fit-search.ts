import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadModel } from '../../compiler/index.js';
import { saveLayersModel } from '../../learn/index.js';
import { calibrate } from '../../compiler/index.js';
import { quantizeInt8 } from '../../compiler/index.js';
import { MODEL_INPUT_QUANT } from '../../data/index.js';
import { paperAutoencoder } from '../../learn/index.js';
import { initBackend } from '../../learn/index.js';
import { resolveFeatureConfig } from '../../data/index.js';
import { createRng } from '../../util/index.js';
import { deviceFigures, type DeviceFigures } from './figures.js';

export const FIT_MELS = [16, 32, 48, 64, 96, 128] as const;
export const FIT_FRAMES = [16, 32, 48, 64] as const;

export interface FitCandidate extends DeviceFigures {
  nMels: number;
  frames: number;
}

/**
 * `sweep --fit`: every n_mels × frames candidate at a rate, sized on the board
 * without training (arena, flash and RAM depend on shapes only, so an
 * untrained paper autoencoder quantised on random inputs has the same
 * figures). The best fitting candidate is the one with the most input values
 * (M·F; ties: more Mel bands), the most information the board can afford.
 */
export async function searchFit(rate: number, board = 'nano33ble'): Promise<{ candidates: FitCandidate[]; best?: FitCandidate }> {
  await initBackend();
  const candidates: FitCandidate[] = [];
  for (const nMels of FIT_MELS) {
    for (const frames of FIT_FRAMES) {
      const { features } = resolveFeatureConfig(rate, { nMels, frames });
      const graph = await untrainedInt8(nMels, frames);
      candidates.push({ nMels, frames, ...deviceFigures(graph, features, board) });
    }
  }
  const fitting = candidates.filter((c) => c.fitsRam && c.fitsFlash);
  const best = fitting.sort((a, b) => b.nMels * b.frames - a.nMels * a.frames || b.nMels - a.nMels)[0];
  return { candidates, ...(best ? { best } : {}) };
}

async function untrainedInt8(nMels: number, frames: number) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tinypdm-fit-'));
  try {
    const model = paperAutoencoder([nMels, frames, 1], 1);
    await saveLayersModel(model, dir);
    model.dispose();
    const { graph } = await loadModel(path.join(dir, 'model.json'));
    const rng = createRng(1).derive('fit-calibration');
    const samples = Float32Array.from({ length: 2 * nMels * frames }, () => rng.next());
    return quantizeInt8(graph, { ranges: calibrate(graph, samples, 'random inputs'), io: 'int8', inputQuant: MODEL_INPUT_QUANT });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
