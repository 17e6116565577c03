export { synthesizeDataset, planDataset, renderClip } from './dataset.js';
export type { SynthOptions, SynthManifest, SynthClip } from './dataset.js';
export { generateNormalClip, drawMachine, drawNormalParams } from './normal.js';
export { ANOMALY_CUES } from './anomalies/index.js';
export type { AnomalyCue, BeltSlipCue, DamagedRollerCue, DryBearingCue, LoosePartCue } from './anomalies/index.js';
export { ANOMALY_TYPES } from './types.js';
export type { AnomalyType, MachineParams, NormalClipParams, ImpactMode } from './types.js';
export { encodeWavPcm16 } from './wav.js';
