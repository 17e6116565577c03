import type { Board } from './types.js';

/**
 * Arduino Nano 33 BLE Sense (rev1 and rev2), nRF52840. Sources: the nRF52840
 * product specification (Cortex-M4F at 64 MHz, 256 KB SRAM, 1 MB flash), the
 * board's boards.txt in ArduinoCore-mbed (upload.maximum_size 983040,
 * upload.maximum_data_size 262144; the bootloader takes the first 64 KB), the
 * core's mbed configuration (main thread stack) and the PDM library shipped
 * with the core (libraries/PDM).
 */

export const NANO_33_BLE: Board = {
  name: 'nano33ble',
  aliases: ['nano33blesense', 'nano-33-ble', 'nano-33-ble-sense', 'arduino:mbed_nano:nano33ble'],
  fqbn: 'arduino:mbed_nano:nano33ble', // same for Sense rev1 and rev2 (boards.txt)
  cpu: 'Cortex-M4F (nRF52840)',
  cpuHz: 64_000_000,
  flashBytes: 983_040, // 1 MB minus the 64 KB bootloader (boards.txt)
  ramBytes: 262_144,
  coreStaticRamBytes: 45_568, // empty sketch, .data + .bss, as arduino-cli reports it (~44.5 KB)
  coreFlashBytes: 87_040, // empty sketch, as arduino-cli reports it (~85 KB)
  mainStackBytes: 32_768, // mbed core main-thread stack (MBED_CONF_RTOS_MAIN_THREAD_STACK_SIZE, the core's mbed_config.h)
  pdm: {
    rates: [16_000, 41_667], // PDM.begin(1, rate) accepts only these (libraries/PDM)
    defaultBufferBytes: 512, // 256 int16 samples (libraries/PDM default)
    bufferCount: 2, // the library's internal double buffer
  },
};
