import { assertInternal } from '../../util/index.js';
import { createFrontEnd } from './front-end.js';
import type { FrontEndTables } from './tables.js';

export interface FixedFeatures {
  nMels: number;
  nFrames: number;
  /** dB·256, row-major n_mels × n_frames: (m, t) at m·nFrames + t. */
  dbColumnsQ8: Int16Array;
  /** Every completed model window, [n_mels, W] row-major. */
  windowsInt8: Int8Array[];
}

/** Number of target-rate samples the resampler makes from len PDM samples: ceil(len·up/down). */
export function resampledLength(t: FrontEndTables, len: number): number {
  return Math.ceil((len * t.resampler.up) / t.resampler.down);
}

/** A whole clip through the streaming front-end, then flush(): what training uses. */
export function fixedFeatures(pcmAtPdmRate: Int16Array, t: FrontEndTables): FixedFeatures {
  const nMels = t.spec.nMels;
  const nFrames = 1 + Math.floor(resampledLength(t, pcmAtPdmRate.length) / t.spec.hop);
  const dbColumnsQ8 = new Int16Array(nMels * nFrames);
  const windowsInt8: Int8Array[] = [];
  const fe = createFrontEnd(t, {
    onColumn(db, c) {
      for (let m = 0; m < nMels; m++) dbColumnsQ8[m * nFrames + c] = db[m]!;
    },
    onWindow(w) {
      windowsInt8.push(w.slice());
    },
  });
  fe.pushSamples(pcmAtPdmRate);
  fe.flush();
  assertInternal(fe.columnsProduced === nFrames, `${fe.columnsProduced} columns, expected ${nFrames}`);
  return { nMels, nFrames, dbColumnsQ8, windowsInt8 };
}
