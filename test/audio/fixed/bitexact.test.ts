/**
 * The C front-end, compiled with host gcc and with arm-none-eabi-gcc for a
 * Cortex-M4 run under QEMU, must give exactly the TS twin's dB columns and
 * int8 windows. All configurations are compiled into one binary per target.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedFeatures, type FrontEndTables } from '../../../src/audio/fixed/index.js';
import { buildFrontEndHarness, type FrontEndHarness, type HarnessResult } from '../../helpers/firmware-build.js';
import { CONFIGS } from './configs.js';
import { chirp, clipped, dcOffset, machine, silence, whiteNoise } from './signals.js';

const SIGNALS: Record<string, (rate: number, seconds: number) => Int16Array> = {
  chirp: (r, s) => chirp(r, s),
  noise: (r, s) => whiteNoise(r, s),
  silence,
  clipped,
  dc: dcOffset,
  machine: (r, s) => machine(r, s),
};

function expectSameAsTwin(t: FrontEndTables, pcm: Int16Array, got: HarnessResult): void {
  const want = fixedFeatures(pcm, t);
  expect(got.columns.length).toBe(want.nFrames);
  let mismatches = 0;
  for (let c = 0; c < want.nFrames; c++) {
    for (let m = 0; m < want.nMels; m++) if (got.columns[c]![m] !== want.dbColumnsQ8[m * want.nFrames + c]) mismatches++;
  }
  expect(mismatches).toBe(0);
  expect(got.windows.length).toBe(want.windowsInt8.length);
  got.windows.forEach((w, i) => expect(Buffer.from(w.buffer).equals(Buffer.from(want.windowsInt8[i]!.buffer))).toBe(true));
}

describe('fixed front-end: C on host gcc is bit-exact with the TS twin', () => {
  let host: FrontEndHarness;
  beforeAll(async () => {
    host = await buildFrontEndHarness(CONFIGS, 'host');
  });
  CONFIGS.forEach(({ name, tables }, index) => {
    it(`${name}: every signal`, async () => {
      const rate = tables.spec.pdmRate;
      for (const [signal, make] of Object.entries(SIGNALS)) {
        const seconds = signal === 'machine' ? 3 : 1.2;
        const pcm = make(rate, seconds);
        const got = await host.run(index, pcm, { flush: true });
        expectSameAsTwin(tables, pcm, got);
        if (signal === 'silence') got.columns.forEach((c) => c.forEach((v) => expect(v).toBe(tables.dbFloorQ8)));
      }
    });
  });

  it('streams the same without a flush, whatever the block boundaries (twin fed one sample at a time)', async () => {
    const { tables } = CONFIGS[2]!;
    const pcm = machine(tables.spec.pdmRate, 1.5);
    const got = await host.run(2, pcm, { flush: false });
    const want = fixedFeatures(pcm, tables);
    // Without flush the stream stops before the right padding: a prefix of the whole-clip columns.
    expect(got.columns.length).toBeLessThan(want.nFrames);
    got.columns.forEach((col, c) => col.forEach((v, m) => expect(v).toBe(want.dbColumnsQ8[m * want.nFrames + c])));
  });
});

describe('fixed front-end: C on an emulated Cortex-M4 (QEMU mps2-an386) is bit-exact with the TS twin', () => {
  let m4: FrontEndHarness;
  beforeAll(async () => {
    m4 = await buildFrontEndHarness(CONFIGS, 'm4');
  });
  CONFIGS.forEach(({ name, tables }, index) => {
    it(`${name}: machine sound + clipping, and sizeof(state) equals the generator's RAM figure`, async () => {
      const rate = tables.spec.pdmRate;
      const pcm = Int16Array.from([...machine(rate, 0.6), ...clipped(rate, 0.3), ...dcOffset(rate, 0.3)]);
      const got = await m4.run(index, pcm, { flush: true });
      expectSameAsTwin(tables, pcm, got);
      const { frontEndStateBytes } = await import('../../../src/audio/fixed/index.js');
      expect(got.stateBytes).toBe(frontEndStateBytes(tables));
      expect(got.configBytes).toBe(160);
    });
  });
});
