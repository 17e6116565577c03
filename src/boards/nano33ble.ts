import type { OpKind } from '../model/ir.js';
import type { Board } from './types.js';

/**
 * Arduino Nano 33 BLE Sense (rev1 and rev2), nRF52840. Sources: the nRF52840
 * product specification (64 MHz Cortex-M4F, 1 MB flash, 256 KB RAM), the
 * board's boards.txt in ArduinoCore-mbed (upload.maximum_size 983040,
 * upload.maximum_data_size 262144), the core's mbed configuration (32 KB main
 * thread stack) and the PDM library shipped with the core (PDM.cpp: 16000 and
 * 41667 Hz, a 512-byte default buffer, double-buffered).
 *
 * "measured" figures below come from building the generated demo sketch
 * against the real toolchain outside this repository: ArduinoCore-mbed 4.6.0
 * (nano33ble), ArduinoCore-API 1.5.2 and Arduino_TensorFlowLite 2.4.0-ALPHA
 * (TFLM with CMSIS-NN kernels), arm-none-eabi-gcc 12.2, linked with
 * --gc-sections, section sizes read with arm-none-eabi-size / nm.
 */

/**
 * Kernel flash per op with CMSIS-NN on Cortex-M4, in bytes. measured (-O2,
 * the sizes of the kernel's own objects): CONV_2D 11.0 KB, MAX_POOL_2D 2.7 KB,
 * RESIZE_NEAREST_NEIGHBOR 1.7 KB. The others are estimates (rough sizes of
 * each kernel's Prepare/Eval plus the CMSIS-NN functions it pulls in).
 */
const KERNEL_FLASH_ESTIMATE: Record<OpKind, number> = {
  CONV_2D: 11_000,
  DEPTHWISE_CONV_2D: 9_000,
  FULLY_CONNECTED: 4_000,
  TRANSPOSE_CONV: 5_000,
  MAX_POOL_2D: 2_700,
  AVERAGE_POOL_2D: 3_000,
  MEAN: 4_000,
  RESIZE_NEAREST_NEIGHBOR: 1_700,
  PAD: 2_000,
  ADD: 4_000,
  CONCATENATION: 2_500,
  RESHAPE: 1_000,
  SOFTMAX: 3_000,
  LOGISTIC: 2_500,
  RELU: 1_000,
  RELU6: 500,
  QUANTIZE: 2_500,
  DEQUANTIZE: 2_000,
};

/**
 * measured: TFLM with the demo's trimmed resolver (CONV_2D, MAX_POOL_2D,
 * RESIZE_NEAREST_NEIGHBOR) takes 56,700 B of flash at -O2 (48,948 B at -Os,
 * the core's level); without those three kernels' 15,400 B that leaves
 * 41,300 B for the interpreter (about 21.9 KB of it), the allocator, the
 * flatbuffer reader and what they pull in. The -O2 figures are used, so the
 * budget errs on the large side.
 */
const TFLM_RUNTIME_FLASH = 41_300;

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

/**
 * Code of the C runtime's kernels per generated call, in bytes, measured at
 * -Os (the core's level) with arm-none-eabi-gcc 12.2 by `npm run bench --
 * cbackend` (perOpKindOs.codeBytes: a one-op model's linked image minus the
 * harness alone minus its constant arrays). CONV_2D is the demo model's code
 * divided over its five calls (6,128 B; a lone conv with its out-of-line loops
 * measures 2,882 B); FULLY_CONNECTED runs the conv kernel.
 */
const C_KERNEL_FLASH_PER_CALL: Record<OpKind, number> = {
  CONV_2D: 1_230,
  DEPTHWISE_CONV_2D: 514,
  FULLY_CONNECTED: 1_466,
  TRANSPOSE_CONV: 510,
  MAX_POOL_2D: 128,
  AVERAGE_POOL_2D: 256,
  MEAN: 192,
  RESIZE_NEAREST_NEIGHBOR: 60,
  PAD: 128,
  ADD: 400, // estimate: not among the one-input cases measured
  CONCATENATION: 200, // estimate: not among the one-input cases measured
  RESHAPE: 64,
  SOFTMAX: 1_560,
  LOGISTIC: 920,
  RELU: 128,
  RELU6: 64,
  QUANTIZE: 128,
  DEQUANTIZE: 80, // estimate
};

export const NANO_33_BLE: Board = {
  name: 'nano33ble',
  aliases: ['nano33blesense', 'nano-33-ble', 'nano-33-ble-sense', 'arduino:mbed_nano:nano33ble'],
  fqbn: 'arduino:mbed_nano:nano33ble', // same for Sense rev1 and rev2 (boards.txt of ArduinoCore-mbed)
  cpu: 'Cortex-M4F (nRF52840)',
  cpuHz: 64_000_000,
  flashBytes: 983_040, // 1 MB minus the 64 KB bootloader (boards.txt upload.maximum_size)
  ramBytes: 262_144,
  coreStaticRamBytes: 45_568, // an empty sketch's .data + .bss, about 44.5 KB
  coreFlashBytes: 87_040, // an empty sketch, about 85 KB
  mainStackBytes: 32_768, // mbed core main-thread stack (the core's mbed_app.json)
  pdm: {
    rates: [16_000, 41_667], // PDM.begin(1, rate) accepts only these (PDM library)
    defaultBufferBytes: 512, // 256 int16 samples (PDM library)
    bufferCount: 2, // the library's internal double buffer
  },
  tflmFlashEstimate(ops: readonly OpKind[]): number {
    return TFLM_RUNTIME_FLASH + [...new Set(ops)].reduce((s, op) => s + KERNEL_FLASH_ESTIMATE[op], 0);
  },
  cRuntimeFlashEstimate(calls: readonly OpKind[]): number {
    return calls.reduce((s, op) => s + C_KERNEL_FLASH_PER_CALL[op], 0);
  },
  tflmLibraryFlashBytes: TFLM_WIRE_FLASH,
  sketchCodeFlashBytes: SKETCH_CODE_FLASH,
  sketchOtherStaticRamBytes: SKETCH_OTHER_STATIC_RAM,
};
