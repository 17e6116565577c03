import type { Rng } from '../../random.js';
import { addStrike, dbToLinear } from '../dsp.js';
import { generateNormalClip, speedAt } from '../normal.js';
import type { NormalClipParams } from '../types.js';
import { cueLevelDb, type AnomalyCue } from './cue.js';

/**
 * A damaged roller: a crack or flat spot strikes once per roller revolution
 * with a short, bright ring (6–10 kHz). The cue lives only above 6 kHz, so it
 * vanishes once the sample rate drops below ~12 kHz.
 */
export interface DamagedRollerCue {
  resonanceHz: number;
  decaySec: number;
  /** Time of one revolution at nominal speed. */
  revolutionSec: number;
  levelDb: number;
}

export const damagedRoller: AnomalyCue<DamagedRollerCue> = {
  type: 'damaged-roller',
  cueBandHz: [6000, 10000],
  draw(rng: Rng, difficulty: number, normal: NormalClipParams): DamagedRollerCue {
    return {
      resonanceHz: rng.uniform(6500, 9500),
      decaySec: rng.uniform(0.002, 0.005),
      revolutionSec: normal.machine.impactPeriodSec * rng.uniform(2, 4),
      // Relative to the clip's normal impact level.
      levelDb: cueLevelDb(rng, difficulty, 6, -30),
    };
  },
  render(normal, cue, audioRng) {
    const out = generateNormalClip(normal, audioRng);
    const rng = audioRng.derive('damaged-roller');
    const sr = normal.sampleRate;
    const amp = normal.gain * normal.impactLevel * dbToLinear(cue.levelDb);
    // First strike within the first 80 % of the clip even for short clips.
    let t = rng.uniform(0, Math.min(cue.revolutionSec, 0.8 * normal.durationSec));
    while (t < normal.durationSec) {
      addStrike(out, sr, Math.round(t * sr), cue.resonanceHz * (1 + 0.01 * rng.normal()), cue.decaySec, amp * (1 + 0.2 * rng.normal()), rng.uniform(0, 2 * Math.PI));
      t += cue.revolutionSec / speedAt(normal, t);
    }
    return out;
  },
};
