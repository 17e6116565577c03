/** Audio: WAV input, resampling, the librosa-compatible float Mel spectrogram and the fixed-point front-end's bit-exact twin. */
export * from './fixed/index.js';
export type { TopDbScope } from './mel-float/index.js';
export { clipTopDb } from './mel-float/index.js';
export { splitWindows } from './mel-float/index.js';
export type { MelResult } from './mel-float/index.js';
export { simulateMicrophone } from './microphone.js';
export { melSpectrogramDb } from './mel-float/index.js';
export { validateMelConfig } from './mel-float/index.js';
export type { MelConfig } from './mel-float/index.js';
export { resampleFloat } from './resample-float.js';
export { decodeWavBytes, readWav, type WavAudio } from './wav.js';
export { readWavInt16 } from './wav.js';
export { powerMel } from './mel-float/index.js';
export { powerToDbUnclipped } from './mel-float/index.js';
export type { FeatureSpec } from './feature-spec.js';
