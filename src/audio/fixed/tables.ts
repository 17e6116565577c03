import { fail } from '../../util/index.js';
import type { FeatureSpec } from '../feature-spec.js';
import { melFilterbank } from '../mel-filters.js';
import { bitLength } from './int-math.js';
import { choosePdmRate } from './pdm-rate.js';
import { designResampler, phaseSteps, type ResamplerDesign } from './resampler-design.js';

/**
 * What the front-end realises: the model's features (FeatureSpec, with fmax and
 * the PDM rate defaulted when absent) plus how its int8 input is normalised.
 */
export type FrontEndSpec = Omit<FeatureSpec, 'mode' | 'wholeClip' | 'norm' | 'fmax' | 'pdmRate'> & {
  /** Defaults to sampleRate / 2. */
  fmax?: number;
  /** Defaults to choosePdmRate(sampleRate). */
  pdmRate?: number;
  /**
   * Model input: x = a·dB + b, then q = clamp(round(x / inputScale) + inputZeroPoint).
   * With `bands` (FeatureSpec `norm: 'band'`), band m uses its own a[m], b[m] instead.
   */
  affine: { a: number; b: number; inputScale: number; inputZeroPoint: number; bands?: { a: ArrayLike<number>; b: ArrayLike<number> } };
};

/** Every integer table and constant the C front-end and the twin run on. */
export interface FrontEndTables {
  spec: Required<Omit<FrontEndSpec, 'pdmRate'>> & { pdmRate: number };
  resampler: ResamplerDesign & {
    tapShift: number;
    tapsQ: Int16Array;
    stepWhole: number;
    stepRem: number;
    remStart: number;
    remModulus: number;
  };
  log2NFft: number;
  /** Windowed frames are normalised to |v| < 2^frameHeadroomBits before the FFT. */
  frameHeadroomBits: number;
  hannQ15: Int16Array;
  /** (cos, sin)(2πk/nFft) in Q15 for k < nFft/2, interleaved. */
  twiddleQ15: Int16Array;
  /** Powers are reduced to < 2^powerBits so each Mel sum stays below 2^53. */
  powerBits: number;
  melStart: Uint16Array;
  melLength: Uint16Array;
  melOffset: Uint16Array;
  melWeights: Uint16Array;
  melShift: Uint8Array;
  /** log2(1 + i/128) in Q16, i = 0..128. */
  log2Q16: Int32Array;
  dbPerLog2Q20: number;
  dbFloorQ8: number;
  /** −1 when top_db is disabled. */
  topDbQ8: number;
  affineMult: number;
  affineAdd: number;
  affineShift: number;
  zeroPoint: number;
  /** Per-band normalisation (spec.affine.bands): band m's mult and add, with the shared affineShift. */
  bandMult?: Int32Array;
  bandAdd?: number[];
}

/** Frame values this many bits below int32 leave room for the FFT's growth of 2·nFft (see fft.ts). */
const FRAME_HEADROOM_TOTAL = 29;
const LOG2_TABLE_BITS = 7;
/** power_to_db's amin = 1e-10 → −100 dB floor, in Q8. */
const DB_FLOOR_Q8 = -100 * 256;

function q15(x: number): number {
  return Math.max(-32768, Math.min(32767, Math.round(x * 32768)));
}

function validate(spec: FrontEndSpec, pdmRate: number): void {
  const { nFft, hop, nMels, windowFrames, windowHop, sampleRate: targetRate } = spec;
  const where = 'front-end config';
  if (!Number.isInteger(nFft) || nFft < 16 || nFft > 2048 || (nFft & (nFft - 1)) !== 0) {
    fail('BAD_ARGUMENT', `${where}: n_fft ${nFft} is not a power of two in 16..2048; use 256, 512, 1024 or 2048`);
  }
  if (!Number.isInteger(hop) || hop < 1 || hop > nFft)
    fail('BAD_ARGUMENT', `${where}: hop ${hop} must be an integer in 1..n_fft (${nFft})`);
  if (!Number.isInteger(nMels) || nMels < 1 || nMels > 1024)
    fail('BAD_ARGUMENT', `${where}: n_mels ${nMels} must be an integer in 1..1024`);
  if (!Number.isInteger(windowFrames) || windowFrames < 1)
    fail('BAD_ARGUMENT', `${where}: window of ${windowFrames} frames must be a positive integer`);
  if (!Number.isInteger(windowHop) || windowHop < 1)
    fail('BAD_ARGUMENT', `${where}: window hop ${windowHop} frames must be a positive integer`);
  if (pdmRate !== 16000 && pdmRate !== 41667)
    fail('BAD_RATE', `${where}: PDM rate ${pdmRate} Hz is not one the Nano 33 BLE Sense microphone supports; use 16000 or 41667`);
  if (targetRate > pdmRate)
    fail('BAD_RATE', `${where}: target rate ${targetRate} Hz is above the PDM rate ${pdmRate} Hz; use choosePdmRate(target)`);
  const fmax = spec.fmax ?? targetRate / 2;
  if (!(spec.fmin >= 0 && spec.fmin < fmax && fmax <= targetRate / 2)) {
    fail('BAD_ARGUMENT', `${where}: need 0 ≤ fmin (${spec.fmin}) < fmax (${fmax}) ≤ target/2 (${targetRate / 2})`);
  }
  if (spec.affine.inputScale <= 0 || !Number.isFinite(spec.affine.inputScale))
    fail('QUANTIZATION', `${where}: input scale ${spec.affine.inputScale} must be positive`);
}

function quantizeResampler(d: ResamplerDesign): FrontEndTables['resampler'] {
  let maxTap = 0;
  for (const t of d.taps) maxTap = Math.max(maxTap, Math.abs(t));
  const tapShift = d.passthrough ? 0 : Math.min(30, Math.floor(Math.log2(32767 / maxTap)));
  const tapsQ = new Int16Array(d.taps.length);
  for (let i = 0; i < d.taps.length; i++) tapsQ[i] = Math.round(d.taps[i]! * 2 ** tapShift);
  return { ...d, tapShift, tapsQ, ...phaseSteps(d) };
}

function sparseMel(spec: FrontEndSpec, fmax: number) {
  const rows = melFilterbank({ sampleRate: spec.sampleRate, nFft: spec.nFft, nMels: spec.nMels, fmin: spec.fmin, fmax });
  const melStart = new Uint16Array(spec.nMels);
  const melLength = new Uint16Array(spec.nMels);
  const melOffset = new Uint16Array(spec.nMels);
  const melShift = new Uint8Array(spec.nMels);
  const weights: number[] = [];
  let maxSum = 0;
  rows.forEach((row, m) => {
    let first = -1;
    let last = -1;
    let maxW = 0;
    row.forEach((w, k) => {
      if (w > 0) {
        if (first < 0) first = k;
        last = k;
        maxW = Math.max(maxW, w);
      }
    });
    melOffset[m] = weights.length;
    if (first < 0) return; // an empty filter: its Mel power is 0 and its dB the floor, as in float
    // Per-filter scale so a narrow, tall filter and a wide, flat one both use 15 bits.
    const shift = Math.floor(Math.log2(32767 / maxW));
    melStart[m] = first;
    melLength[m] = last - first + 1;
    melShift[m] = shift;
    let sum = 0;
    for (let k = first; k <= last; k++) {
      const w = Math.round(row[k]! * 2 ** shift);
      weights.push(w);
      sum += w;
    }
    maxSum = Math.max(maxSum, sum);
  });
  if (weights.length > 65535)
    fail(
      'BAD_ARGUMENT',
      `front-end config: ${weights.length} Mel weights exceed the 65535 a uint16 offset can index; use fewer Mel bands or a smaller n_fft`,
    );
  const powerBits = Math.min(32, 53 - bitLength(maxSum));
  return { melStart, melLength, melOffset, melShift, melWeights: Uint16Array.from(weights), powerBits };
}

/**
 * Folds the model's input normalisation and int8 quantisation into
 * q = ((mult·dB_Q8 + add) >> shift) + zp, with add carrying the +½ of the
 * rounding (round half up). |mult| < 2^30 and |dB_Q8| < 2^15 keep every term
 * far below 2^53.
 */
function affineParams(affine: FrontEndSpec['affine'], nMels: number) {
  const terms: Array<[number, number]> = [[affine.a, affine.b]];
  const bands = affine.bands;
  if (bands) {
    (bands.a.length === nMels && bands.b.length === nMels) ||
      fail(
        'BAD_ARGUMENT',
        `front-end config: per-band affine has ${bands.a.length}/${bands.b.length} values for ${nMels} Mel bands; fit one a, b per band`,
      );
    for (let m = 0; m < nMels; m++) terms.push([bands.a[m]!, bands.b[m]!]);
  }
  const scaled = terms.map(([a, b]) => {
    (Number.isFinite(a) && Number.isFinite(b)) ||
      fail('QUANTIZATION', `front-end config: normalisation a=${a}, b=${b} is not finite; re-run tinypdm train`);
    return [a / (affine.inputScale * 256), b / affine.inputScale] as const;
  });
  // One shift for every band, so the C needs one: the largest that keeps each mult < 2^30 and add < 2^46.
  let shift = 46;
  while (shift > 1 && scaled.some(([A, B]) => Math.abs(A) * 2 ** shift >= 2 ** 30 || Math.abs(B) * 2 ** shift >= 2 ** 46)) shift--;
  const mult = ([A]: readonly [number, number]) => Math.round(A * 2 ** shift);
  const add = ([, B]: readonly [number, number]) => Math.round(B * 2 ** shift) + 2 ** (shift - 1);
  return {
    affineMult: mult(scaled[0]!),
    affineAdd: add(scaled[0]!),
    affineShift: shift,
    zeroPoint: affine.inputZeroPoint,
    ...(bands ? { bandMult: Int32Array.from(scaled.slice(1), mult), bandAdd: scaled.slice(1).map(add) } : {}),
  };
}

export function buildFrontEndTables(spec: FrontEndSpec): FrontEndTables {
  const pdmRate = spec.pdmRate ?? choosePdmRate(spec.sampleRate);
  validate(spec, pdmRate);
  const fmax = spec.fmax ?? spec.sampleRate / 2;
  const n = spec.nFft;
  const log2NFft = Math.round(Math.log2(n));

  const hannQ15 = new Int16Array(n);
  for (let i = 0; i < n; i++) hannQ15[i] = q15(0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n)); // periodic Hann
  const twiddleQ15 = new Int16Array(n);
  for (let k = 0; k < n / 2; k++) {
    twiddleQ15[2 * k] = q15(Math.cos((2 * Math.PI * k) / n));
    twiddleQ15[2 * k + 1] = q15(Math.sin((2 * Math.PI * k) / n));
  }
  const log2Q16 = new Int32Array((1 << LOG2_TABLE_BITS) + 1);
  for (let i = 0; i < log2Q16.length; i++) log2Q16[i] = Math.round(Math.log2(1 + i / (1 << LOG2_TABLE_BITS)) * 65536);

  const topDbQ8 = spec.topDb === null ? -1 : Math.round(spec.topDb * 256);
  return {
    spec: { ...spec, fmax, pdmRate, topDb: spec.topDb },
    resampler: quantizeResampler(designResampler(pdmRate, spec.sampleRate)),
    log2NFft,
    frameHeadroomBits: FRAME_HEADROOM_TOTAL - log2NFft,
    hannQ15,
    twiddleQ15,
    ...sparseMel(spec, fmax),
    log2Q16,
    dbPerLog2Q20: Math.round(10 * Math.log10(2) * 2 ** 20),
    dbFloorQ8: DB_FLOOR_Q8,
    topDbQ8,
    ...affineParams(spec.affine, spec.nMels),
  };
}
