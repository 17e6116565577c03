import type { Board } from './types.js';

/**
 * Arduino Nano 33 BLE Sense (rev1 and rev2), nRF52840. Sources: the nRF52840
 * product specification (Cortex-M4F at 64 MHz, 256 KB SRAM, 1 MB flash), the
 * board's boards.txt in ArduinoCore-mbed (upload.maximum_size 983040,
 * upload.maximum_data_size 262144; the bootloader takes the first 64 KB), the
 * core's mbed configuration (main thread stack) and the PDM library shipped
 * with the core (libraries/PDM).
 *
 * "measured" figures below come from building the generated demo sketch
 * against the real toolchain outside this repository: ArduinoCore-mbed 4.6.0
 * (nano33ble), ArduinoCore-API 1.5.2 and Arduino_TensorFlowLite 2.4.0-ALPHA
 * (TFLM with CMSIS-NN kernels), arm-none-eabi-gcc 12.2, linked with
 * --gc-sections, section sizes read with arm-none-eabi-size / nm.
 */

/** measured: TensorFlowLite.h includes Wire, which links 1.3 KB of flash into a TFLM sketch. */
const TFLM_WIRE_FLASH = 1_300;

/**
 * measured: the sketch's own code and the front-end (tp_*.c, detector, ring,
 * score) take about 6.1 KB of flash that the per-part rows do not count.
 */
const SKETCH_CODE_FLASH = 6_100;

/**
 * measured: the demo sketch's .bss holds 1,428 B besides the arena, the
 * front-end state and the ring; the sketch's own sample buffers (PDM copy and
 * drain chunk, computed per sketch) are 1,024 B of it, the remaining 404 B are
 * the core's and libraries' objects the sketch instantiates (Serial, PDM).
 */
const SKETCH_OTHER_STATIC_RAM = 404;

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
  tflmLibraryFlashBytes: TFLM_WIRE_FLASH,
  sketchCodeFlashBytes: SKETCH_CODE_FLASH,
  sketchOtherStaticRamBytes: SKETCH_OTHER_STATIC_RAM,
};
