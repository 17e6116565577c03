import type { Rng } from '../../../util/index.js';
import { dbToLinear } from '../dsp.js';
import { controlRateCurve, generateNormalClip } from '../normal.js';
import type { NormalClipParams } from '../types.js';
import { cueLevelDb, type AnomalyCue } from './cue.js';

/**
 * A dry bearing: a narrow-band squeal between 4.5 and 9 kHz whose pitch and
 * loudness wander slowly. Needs a sample rate of at least ~9–18 kHz to be seen.
 */
export interface DryBearingCue {
  squealHz: number;
  /** Slow pitch wander: fraction of `squealHz` and its rate. */
  wanderDepth: number;
  wanderHz: number;
  /** Loudness swell rate; the squeal fades in and out at this rate. */
  swellHz: number;
  levelDb: number;
}

export const dryBearing: AnomalyCue<DryBearingCue> = {
  type: 'dry-bearing',
  cueBandHz: [4500, 9000],
  draw(rng: Rng, difficulty: number): DryBearingCue {
    return {
      squealHz: rng.uniform(5000, 8500),
      wanderDepth: rng.uniform(0.005, 0.03),
      wanderHz: rng.uniform(0.1, 0.6),
      swellHz: rng.uniform(0.2, 1),
      // Relative to the clip's hum level.
      levelDb: cueLevelDb(rng, difficulty, -6, -50),
    };
  },
  render(normal: NormalClipParams, cue: DryBearingCue, audioRng: Rng) {
    const out = generateNormalClip(normal, audioRng);
    const rng = audioRng.derive('dry-bearing');
    const sr = normal.sampleRate;
    const amp = normal.gain * normal.humLevel * dbToLinear(cue.levelDb);
    const wanderPhase = rng.uniform(0, 2 * Math.PI);
    const swellPhase = rng.uniform(0, 2 * Math.PI);
    // Pitch wander and swell are below 1 Hz: sample them at control rate.
    const freq = controlRateCurve(
      out.length,
      sr,
      (t) => cue.squealHz * (1 + cue.wanderDepth * Math.sin(2 * Math.PI * cue.wanderHz * t + wanderPhase)),
    );
    const swell = controlRateCurve(out.length, sr, (t) => 0.6 + 0.4 * Math.sin(2 * Math.PI * cue.swellHz * t + swellPhase));
    let phase = rng.uniform(0, 2 * Math.PI);
    for (let i = 0; i < out.length; i++) {
      phase += (2 * Math.PI * freq[i]!) / sr;
      out[i]! += amp * swell[i]! * Math.sin(phase);
    }
    return out;
  },
};
