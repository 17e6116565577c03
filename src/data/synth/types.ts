import type { SlowModulation } from './dsp.js';

/** The four fault sounds we synthesise; each lives in `anomalies/<type>.ts`. */
export const ANOMALY_TYPES = ['damaged-roller', 'belt-slip', 'dry-bearing', 'loose-part'] as const;
export type AnomalyType = (typeof ANOMALY_TYPES)[number];

/** One struck mode of a roller/belt impact. */
export interface ImpactMode {
  freqHz: number;
  decaySec: number;
  amp: number;
}

/**
 * Constants of one simulated conveyor, drawn once per dataset seed: every clip
 * of a dataset is the same machine, as in ToyADMOS (one case, one channel).
 */
export interface MachineParams {
  humF0Hz: number;
  /** Relative amplitudes of hum harmonics 1..n. */
  humHarmonics: number[];
  /** Mean time between roller impacts at nominal speed. */
  impactPeriodSec: number;
  impactModes: ImpactMode[];
  frictionBandHz: [number, number];
}

/**
 * Everything that makes one normal clip; stored in the manifest so a clip can
 * be regenerated (with the same rng stream) and explained.
 */
export interface NormalClipParams {
  sampleRate: number;
  durationSec: number;
  machine: MachineParams;
  /** Clip-level speed factor (between-clip drift), 1 = nominal. */
  speed: number;
  /** Within-clip speed drift (fractions of `speed`). Belt slip adds a fast, deep term here. */
  speedModulation: SlowModulation[];
  /** Within-clip amplitude drift (fractions of `gain`). */
  ampModulation: SlowModulation[];
  /** Clip-level linear output gain (between-clip level drift). */
  gain: number;
  humLevel: number;
  impactLevel: number;
  /** Impact time jitter as a fraction of the period (uniform ±). */
  impactJitter: number;
  frictionLevel: number;
  roomNoiseLevel: number;
}
