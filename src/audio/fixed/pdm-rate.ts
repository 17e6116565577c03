import { fail } from '../../util/index.js';

/** The only rates `PDM.begin(1, rate)` accepts on the Nano 33 BLE Sense (the PDM library of ArduinoCore-mbed; any other rate makes begin() return 0). */
export const PDM_RATES = [16000, 41667] as const;
export type PdmRate = (typeof PDM_RATES)[number];

/**
 * The microphone rate to capture at for a model trained at `targetRate`:
 * 16000 Hz whenever that is enough, so the resampler runs on fewer samples;
 * 41667 Hz only for targets above 16 kHz.
 */
export function choosePdmRate(targetRate: number): PdmRate {
  if (!Number.isInteger(targetRate) || targetRate <= 0) {
    fail('BAD_RATE', `target sample rate ${targetRate} Hz is not a positive integer; use e.g. 6000`);
  }
  if (targetRate > 41667) {
    fail(
      'BAD_RATE',
      `target sample rate ${targetRate} Hz is above the highest PDM rate 41667 Hz; choose a target rate of at most 41667 Hz (e.g. 24000)`,
    );
  }
  return targetRate <= 16000 ? 16000 : 41667;
}
