import type { AnomalyType } from '../types.js';
import { beltSlip } from './belt-slip.js';
import type { AnomalyCue } from './cue.js';
import { damagedRoller } from './damaged-roller.js';
import { dryBearing } from './dry-bearing.js';
import { loosePart } from './loose-part.js';

export type { AnomalyCue } from './cue.js';
export type { BeltSlipCue } from './belt-slip.js';
export type { DamagedRollerCue } from './damaged-roller.js';
export type { DryBearingCue } from './dry-bearing.js';
export type { LoosePartCue } from './loose-part.js';

/** Lookup table of fault models, keyed by type (no switch to keep in step). */
// Each cue has its own parameter type; a clip's cue parameters come from the same entry's draw and go back to its render.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const ANOMALY_CUES: Readonly<Record<AnomalyType, AnomalyCue<any>>> = {
  'damaged-roller': damagedRoller,
  'belt-slip': beltSlip,
  'dry-bearing': dryBearing,
  'loose-part': loosePart,
};
