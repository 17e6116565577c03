import { resampleFloat } from './resample-float.js';
import { toInt16 } from './wav.js';

/**
 * What the Nano's PDM microphone would deliver for a recording: the clip
 * resampled (band-limited, float) to the PDM rate, rounded half away from
 * zero to int16 and saturated. The fixed-point front-end's twin then runs on
 * exactly these samples, as the device's C front-end does. A file below the
 * PDM rate is upsampled: it simply has no content above its own Nyquist
 * (callers check that the file covers the model's target rate).
 */
export function simulateMicrophone(samples: Float32Array, fileRate: number, pdmRate: number): Int16Array {
  return toInt16(fileRate === pdmRate ? samples : resampleFloat(samples, fileRate, pdmRate));
}
