/**
 * Which TFLM kernel set the firmware links. The Arduino library
 * (Arduino_TensorFlowLite 2.4.0-ALPHA, synced from tflite-micro in February
 * 2023) builds the CMSIS-NN kernels for the Nano 33 BLE; the portable reference
 * kernels are what TFLM uses without an optimised target.
 */
export type ArenaTarget = 'tflm-reference' | 'tflm-cmsis-nn';

export const ARENA_TARGETS: readonly ArenaTarget[] = ['tflm-reference', 'tflm-cmsis-nn'];

/** TFLM's MicroArenaBufferAlignment() (micro/memory_helpers.h): every planned buffer starts on 16 bytes. */
export const ARENA_ALIGNMENT = 16;

export function alignUp(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}
