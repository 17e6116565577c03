import type { Board } from './types.js';

/**
 * Arduino Nano 33 BLE Sense (rev1 and rev2), nRF52840. Sources: /work/shared
 * FACTS.md section 3 (board and core facts as checked for this project), the
 * board's boards.txt in ArduinoCore-mbed (upload.maximum_size 983040,
 * upload.maximum_data_size 262144) and the PDM library shipped with the core.
 */

export const NANO_33_BLE: Board = {
  name: 'nano33ble',
  aliases: ['nano33blesense', 'nano-33-ble', 'nano-33-ble-sense', 'arduino:mbed_nano:nano33ble'],
  fqbn: 'arduino:mbed_nano:nano33ble', // same for Sense rev1 and rev2 (FACTS §3)
  cpu: 'Cortex-M4F (nRF52840)',
  cpuHz: 64_000_000,
  flashBytes: 983_040, // 1 MB minus the 64 KB bootloader (FACTS §3)
  ramBytes: 262_144,
  coreStaticRamBytes: 45_568, // empty sketch, .data + .bss, reported as ~44.5 KB (FACTS §3)
  coreFlashBytes: 87_040, // empty sketch, reported as ~85 KB (FACTS §3)
  mainStackBytes: 32_768, // mbed core main-thread stack (FACTS §3)
  pdm: {
    rates: [16_000, 41_667], // PDM.begin(1, rate) accepts only these (FACTS §3)
    defaultBufferBytes: 512, // 256 int16 samples (FACTS §3)
    bufferCount: 2, // the library's internal double buffer
  },
};
