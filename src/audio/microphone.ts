import { fail } from '../errors.js';
import { resampleFloat } from './resample-float.js';
import { toInt16 } from './wav.js';

/**
 * What the Nano's PDM microphone would deliver for a recording: the clip
 * resampled (band-limited, float) to the PDM rate and rounded to int16. The
 * fixed-point front-end's twin then runs on exactly these samples, as the
 * device's C front-end does.
 */
export function simulateMicrophone(samples: Float32Array, fileRate: number, pdmRate: number, file: string): Int16Array {
  fileRate >= pdmRate ||
    fail('BAD_RATE', `${file}: sampled at ${fileRate} Hz, below the microphone rate ${pdmRate} Hz the device captures at; record at ≥ ${pdmRate} Hz or choose a target rate ≤ 16000 Hz`);
  return toInt16(fileRate === pdmRate ? samples : resampleFloat(samples, fileRate, pdmRate));
}
