import { describe, expect, it } from 'vitest';
import { checkFit, estimateArenaFor, formatBytes, NANO_33_BLE, scaleGraphInput, suggestInputs } from './fit-helpers.js';
import type { TinyPdmError } from '../../src/util/errors.js';

/**
 * Board fit: the paper model's arena head is 40·M·F bytes (from the paper's
 * layer stack, an independent rule), so the numbers in DOES_NOT_FIT and its suggestions can
 * be checked without trusting the planner's own output.
 */
describe('scaleGraphInput + suggestInputs', () => {
  it('rescales every activation of the paper model; the planned head follows 40·M·F', () => {
    const g = estimateArenaFor.paper(32, 32);
    for (const [m, f] of [
      [256, 468],
      [64, 48],
      [16, 16],
    ] as const) {
      const scaled = scaleGraphInput(g, m, f)!;
      expect(scaled.tensors[scaled.inputs[0]!]!.shape).toEqual([1, m, f, 1]);
      expect(estimateArenaFor.head(scaled)).toBe(40 * m * f);
    }
    expect(scaleGraphInput(g, 30, 32)).toBeUndefined(); // 30/4 is not whole
  });

  it('suggests the largest inputs whose arena fits the room, each under it', () => {
    const g = scaleGraphInput(estimateArenaFor.paper(32, 32), 256, 468)!;
    const room = 130_000;
    const s = suggestInputs(g, room);
    expect(s.length).toBeGreaterThan(0);
    for (const x of s) {
      expect(x.arenaBytes).toBeLessThanOrEqual(room);
      expect(x.arenaBytes).toBeGreaterThan(40 * x.nMels * x.frames); // head + persistent tail
    }
    // 40·64·48 = 122,880 + tail fits, 64 × 64 = 163,840 does not; 96 × 32 has the same area and more bands, so it leads.
    // Room 130,000 B minus a ~2.5 KB tail allows 40·M·F ≤ ~127 KB, i.e. M·F ≤ 3,200: the grid's best is 3,072 three ways.
    expect(s.map((x) => [x.nMels, x.frames])).toEqual([
      [96, 32],
      [64, 48],
      [48, 64],
    ]);
  });
});

describe('checkFit', () => {
  const parts = (arenaBytes: number, modelBytes = 60_000) => ({
    arenaBytes,
    frontEndRamBytes: 20_000,
    ringBufferBytes: 8_192,
    modelBytes,
    tablesBytes: 10_000,
    ops: ['CONV_2D' as const],
  });

  it('refuses the paper input 256 × 468 with the numbers and suggestions', () => {
    const g = scaleGraphInput(estimateArenaFor.paper(32, 32), 256, 468)!;
    const arena = estimateArenaFor.total(g);
    let err: TinyPdmError | undefined;
    try {
      checkFit({ board: NANO_33_BLE, parts: parts(arena), graph: g, force: false, where: 'run/model.json' });
    } catch (e) {
      err = e as TinyPdmError;
    }
    expect(err?.code).toBe('DOES_NOT_FIT');
    expect(err?.message).toMatch(/^run\/model\.json: does not fit the nano33ble: RAM [\d,]+ B of 262,144 B/);
    expect(err?.message).toContain(`n_mels 256 × 468 frames needs ${formatBytes(arena)} of arena`);
    expect(formatBytes(arena)).toBe('4.8 MB');
    expect(err?.message).toMatch(/at 64 × 48 it needs 12\d KB/);
    expect(err?.message).toContain('--force');
  });

  it('--force returns the over-budget numbers; a fitting input passes', () => {
    const g = estimateArenaFor.paper(32, 32);
    const b = checkFit({ board: NANO_33_BLE, parts: parts(5_000_000), graph: g, force: true, where: 'm' });
    expect(b.ram.fits).toBe(false);
    expect(b.ram.headroom).toBeLessThan(0);
    expect(checkFit({ board: NANO_33_BLE, parts: parts(50_000), graph: g, force: false, where: 'm' }).ram.fits).toBe(true);
  });

  it('a flash overflow names the model size and a flash fix', () => {
    const g = estimateArenaFor.paper(32, 32);
    expect(() => checkFit({ board: NANO_33_BLE, parts: parts(50_000, 900_000), graph: g, force: false, where: 'm' })).toThrow(
      /flash [\d,]+ B of 983,040 B \(model 900 KB\).*shrink the model/,
    );
  });
});
