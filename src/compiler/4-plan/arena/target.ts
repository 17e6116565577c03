import type { ArenaTarget } from '../../../ops/index.js';

export type { ArenaTarget };

export const ARENA_TARGETS: readonly ArenaTarget[] = ['tflm-reference', 'tflm-cmsis-nn'];

/** TFLM's MicroArenaBufferAlignment() (micro/memory_helpers.h): every planned buffer starts on 16 bytes. */
export const ARENA_ALIGNMENT = 16;

export function alignUp(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}
