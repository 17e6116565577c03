import { describe, expect, it } from 'vitest';
import { getBoard, NANO_33_BLE } from '../../src/boards/index.js';
import { budget, tflmFlashEstimate } from '../../src/compiler/4-plan/index.js';
import { TinyPdmError } from '../../src/util/errors.js';

describe('getBoard', () => {
  it('finds the Nano 33 BLE by name, alias and FQBN', () => {
    for (const name of ['nano33ble', 'Nano33BLESense', 'arduino:mbed_nano:nano33ble', ' nano-33-ble ']) {
      expect(getBoard(name)).toBe(NANO_33_BLE);
    }
  });
  it('names the known boards when the name is unknown', () => {
    expect(() => getBoard('uno')).toThrow(TinyPdmError);
    expect(() => getBoard('uno')).toThrow(/known boards: nano33ble \(arduino:mbed_nano:nano33ble\)/);
  });
});

describe('Nano 33 BLE facts (nRF52840 product specification; ArduinoCore-mbed PDM library)', () => {
  it('has the documented limits', () => {
    expect(NANO_33_BLE.fqbn).toBe('arduino:mbed_nano:nano33ble');
    expect(NANO_33_BLE.flashBytes).toBe(1024 * 1024 - 64 * 1024);
    expect(NANO_33_BLE.ramBytes).toBe(256 * 1024);
    expect(NANO_33_BLE.mainStackBytes).toBe(32 * 1024);
    expect(NANO_33_BLE.coreStaticRamBytes).toBe(44.5 * 1024);
    expect(NANO_33_BLE.pdm.rates).toEqual([16000, 41667]);
    expect(NANO_33_BLE.cpuHz).toBe(64e6);
  });
  it('the TFLM flash estimate counts each op kind once and grows with the op set', () => {
    const a = tflmFlashEstimate(['CONV_2D', 'MAX_POOL_2D']);
    expect(tflmFlashEstimate(['CONV_2D', 'MAX_POOL_2D', 'CONV_2D'])).toBe(a);
    expect(tflmFlashEstimate(['CONV_2D', 'MAX_POOL_2D', 'RESIZE_NEAREST_NEIGHBOR'])).toBeGreaterThan(a);
  });
});

describe('budget', () => {
  const parts = {
    arenaBytes: 125_612,
    frontEndRamBytes: 20_000,
    ringBufferBytes: 8_000,
    modelBytes: 60_000,
    tablesBytes: 10_000,
    ops: ['CONV_2D' as const],
  };

  it('adds the rows to totals and compares them with the limits', () => {
    const b = budget(NANO_33_BLE, parts);
    // RAM, added by hand: 45,568 core + 32,768 stack + 2 x 512 PDM + 8,000 ring + 20,000 front end + 125,612 arena.
    expect(b.ram.total).toBe(45_568 + 32_768 + 1_024 + 8_000 + 20_000 + 125_612);
    expect(b.ram.limit).toBe(262_144);
    expect(b.ram.fits).toBe(true);
    expect(b.ram.headroom).toBe(262_144 - b.ram.total);
    expect(b.flash.total).toBe(87_040 + tflmFlashEstimate(['CONV_2D']) + 60_000 + 10_000);
    expect(b.flash.rows.find((r) => r.item.startsWith('TFLM'))!.basis).toBe('estimate');
  });

  it('reports a paper-sized input (256 x 470, 40*M*F arena) as not fitting', () => {
    const b = budget(NANO_33_BLE, { ...parts, arenaBytes: 40 * 256 * 470, pdmBufferBytes: 2048 });
    expect(b.ram.fits).toBe(false);
    expect(b.ram.headroom).toBeLessThan(0);
    expect(b.ram.rows.find((r) => r.item.startsWith('PDM'))!.bytes).toBe(4096);
  });
});

describe('Cortex-M4 cost of one inference (src/experiments/sweep/cost-model.ts)', () => {
  it('the C runtime estimate for the demo model lies between the SMLAD bound and what TFLM measures', async () => {
    const { inferenceInstructions, TFLM_INSTRUCTIONS_PER_MAC } = await import('../../src/experiments/sweep/cost-model.js');
    const { paperInt8Graph } = await import('../fixtures/paper-ir.js');
    // The cost depends on shapes only; the zero weights just need their per-channel scales.
    const paper = (channels?: number[]) => {
      const g = paperInt8Graph(32, 32, channels);
      for (const op of g.ops.filter((o) => o.kind === 'CONV_2D')) {
        const w = g.tensors[op.inputs[1]!]!;
        w.quant = {
          scale: Array.from({ length: w.shape[0]! }, () => 0.01),
          zeroPoint: Array.from({ length: w.shape[0]! }, () => 0),
          axis: 0,
        };
      }
      return g;
    };
    const macs = 7_520_256; // the five convs of the paper autoencoder at 32 × 32
    const n = inferenceInstructions(paper());
    expect(n).toBeGreaterThan(0.5 * macs);
    expect(n).toBeLessThan(TFLM_INSTRUCTIONS_PER_MAC.os * macs);
    // Fewer filters, fewer instructions; and the pruned model pays more per MAC.
    const pruned = inferenceInstructions(paper([16, 32, 16, 8, 1]));
    expect(pruned).toBeLessThan(n);
    expect(pruned / 2_015_232).toBeGreaterThan(n / 7_569_408);
    // Within 2 % of what `npm run bench -- cbackend` measures on QEMU at -Os with the generated C
    // (10,274,300 and 3,426,400 instructions): the per-op rates on the descriptors add up to the whole model.
    expect(Math.abs(n / 10_274_300 - 1)).toBeLessThan(0.02);
    expect(Math.abs(pruned / 3_426_400 - 1)).toBeLessThan(0.02);
  });
});
