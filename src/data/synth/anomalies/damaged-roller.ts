import type { Rng } from '../../../util/index.js';
import { addStrike, dbToLinear } from '../dsp.js';
import { generateNormalClip, speedAt } from '../normal.js';
import type { NormalClipParams } from '../types.js';
import { cueLevelDb, type AnomalyCue } from './cue.js';

/**
 * A damaged roller: a crack or flat spot strikes once per roller revolution
 * with a short, bright ring (6–10 kHz). The strike is a real impact, so it
 * also rings the machine's ordinary roller modes (0.6–2.8 kHz), more weakly:
 * the strong cue needs a rate above ~12 kHz, a weaker rhythm cue survives
 * down to ~3 kHz and is gone below ~1.5 kHz (the shape of the paper's Table 1).
 */
export interface DamagedRollerCue {
  resonanceHz: number;
  decaySec: number;
  /** Time of one revolution at nominal speed. */
  revolutionSec: number;
  levelDb: number;
  /** Amplitude of the ordinary roller modes the strike also excites, relative to the bright ring: a crack hits harder than a normal roller, so these ring louder than its normal impacts. */
  bodyRatio: number;
}

export const damagedRoller: AnomalyCue<DamagedRollerCue> = {
  type: 'damaged-roller',
  // The band of the strong cue; a weaker copy rides on the roller modes.
  cueBandHz: [6000, 10000],
  draw(rng: Rng, difficulty: number, normal: NormalClipParams): DamagedRollerCue {
    return {
      resonanceHz: rng.uniform(6500, 9500),
      decaySec: rng.uniform(0.002, 0.005),
      revolutionSec: normal.machine.impactPeriodSec * rng.uniform(2, 4),
      // Relative to the clip's normal impact level.
      levelDb: cueLevelDb(rng, difficulty, 6, -30),
      bodyRatio: rng.uniform(2, 4),
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
      const start = Math.round(t * sr);
      const hit = amp * (1 + 0.2 * rng.normal());
      addStrike(out, sr, start, cue.resonanceHz * (1 + 0.01 * rng.normal()), cue.decaySec, hit, rng.uniform(0, 2 * Math.PI));
      for (const mode of normal.machine.impactModes) {
        addStrike(out, sr, start, mode.freqHz, mode.decaySec, cue.bodyRatio * hit * mode.amp, rng.uniform(0, 2 * Math.PI));
      }
      t += cue.revolutionSec / speedAt(normal, t);
    }
    return out;
  },
};
