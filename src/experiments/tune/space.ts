import { fail } from '../../util/index.js';

/**
 * What `tune` trains: a recipe is everything that needs a training run
 * (architecture with its features, normalisation, augmentation, a teacher);
 * scoring choices (window score × clip pooling) are compared on every trained
 * run without retraining.
 */
export interface Recipe {
  id: string;
  arch: 'paper' | 'frame-stack';
  norm: 'global' | 'band';
  augment: boolean;
  /** Distil from a teacher: a frame-stack autoencoder TEACHER_UNITS wide, trained first (not for the board). */
  distill: boolean;
}

/** Augmentation when a recipe has it: ±6 dB gain, noise std 0.02 in normalised units (train --augment-gain 6 --augment-noise 0.02). */
export const TUNE_AUGMENT = { gainDb: 6, noise: 0.02 } as const;
/** The teacher for distillation: a frame-stack autoencoder 4× as wide with a 4× bottleneck; trained on the host only. */
export const TEACHER = { units: 512, depth: 4, latent: 32 } as const;
export const DISTILL_WEIGHT = 0.5;

export const SCORE_CHOICES = ['mse', 'mahalanobis', 'mahalanobis:8'] as const;
export const POOL_CHOICES = ['mean', 'max', 'p90'] as const;

export type TuneSpace = 'quick' | 'full';

/**
 * quick: both architectures × both normalisations (4 runs).
 * full: × augmentation on/off, plus distillation of the frame-stack model (10 runs + teachers).
 */
export function recipes(space: TuneSpace, archs: readonly string[] = ['paper', 'frame-stack']): Recipe[] {
  for (const a of archs)
    a === 'paper' ||
      a === 'frame-stack' ||
      fail('BAD_ARGUMENT', `--archs: unknown architecture ${JSON.stringify(a)}; tune searches paper and frame-stack`);
  const out: Recipe[] = [];
  for (const arch of archs as Array<Recipe['arch']>) {
    for (const norm of ['global', 'band'] as const) {
      for (const augment of space === 'full' ? [false, true] : [false]) {
        out.push({ id: recipeId({ arch, norm, augment, distill: false }), arch, norm, augment, distill: false });
      }
      if (space === 'full' && arch === 'frame-stack')
        out.push({ id: recipeId({ arch, norm, augment: false, distill: true }), arch, norm, augment: false, distill: true });
    }
  }
  return out;
}

export function recipeId(r: Omit<Recipe, 'id'>): string {
  return [r.arch, r.norm, ...(r.augment ? ['aug'] : []), ...(r.distill ? ['distill'] : [])].join('-');
}
