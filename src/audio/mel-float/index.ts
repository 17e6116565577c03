/** Float64 reference front-end: librosa 0.9-compatible log-Mel spectrogram. */
export { melSpectrogramDb, powerMel, splitWindows, validateMelConfig } from './mel-spectrogram.js';
export type { MelConfig, MelResult, TopDbScope, WindowScope } from './mel-spectrogram.js';
export { powerSpectrogram, periodicHann, stftFrameCount } from './stft.js';
export type { PowerSpectrogram } from './stft.js';
export { powerToDbUnclipped, clipTopDb, AMIN } from './power-to-db.js';
export { planRealFft } from './fft.js';
export type { RealFft } from './fft.js';
