/** Board facts: what a target board offers and what its core takes. */
import { fail } from '../util/index.js';
import { NANO_33_BLE } from './nano33ble.js';
import type { Board } from './types.js';

export type { Board } from './types.js';
export { NANO_33_BLE } from './nano33ble.js';

export const BOARDS: readonly Board[] = [NANO_33_BLE];

/** The board by name, alias or FQBN (case-insensitive). */
export function getBoard(name: string): Board {
  const key = name.trim().toLowerCase();
  const board = BOARDS.find((b) => b.name === key || b.aliases.includes(key) || b.fqbn === key);
  if (!board) {
    fail('BAD_ARGUMENT', `unknown board ${JSON.stringify(name)}; known boards: ${BOARDS.map((b) => `${b.name} (${b.fqbn})`).join(', ')}`);
  }
  return board;
}
