import { fail } from '../../util/index.js';
import { choosePdmRate } from '../../audio/index.js';
import type { FeatureSpec } from '../run-config.js';

/**
 * Feature defaults sized for the Nano 33 BLE: 32 Mel bands × 32-frame windows
 * keep the paper autoencoder's int8 arena near 40·M·F ≈ 41 KB (its first pooling layer’s input and output, planned by src/compiler/4-plan),
 * inside the ~180 KB the board leaves after the core's RAM and stack.
 */
export const NANO_DEFAULTS = { nMels: 32, windowFrames: 32, windowHop: 16, nFft: 1024, hop: 256, topDb: 80 } as const;
/** The paper's features (its published training code): n_fft 2048, hop 512, 256 Mel bands, whole clips, float. */
export const PAPER_FEATURES = { nMels: 256, nFft: 2048, hop: 512, topDb: 80 } as const;
/** The clip length the automatic n_fft/hop choice plans for when the data's is not given (ToyADMOS clips are 10 s). */
export const REFERENCE_CLIP_SECONDS = 10;
/** The rate the default n_fft/hop are sized for; at other rates both scale with the rate. */
export const HOP_REFERENCE_RATE = 6000;
/** Largest FFT the fixed-point front-end implements (firmware/frontend). */
const MAX_N_FFT = 2048;
/** Smallest automatic hop (n_fft 16, the front-end's smallest FFT). */
const MIN_HOP = 4;

export interface FeatureOverrides {
  nMels?: number;
  frames?: number;
  windowHop?: number;
  nFft?: number;
  hop?: number;
  mode?: 'fixed' | 'float';
  paper?: boolean;
  /** Length of the dataset's clips, so the automatic hop gives every clip at least two windows. */
  clipSeconds?: number;
  /** Input normalisation (FeatureSpec `norm`): 'global' (default) or 'band'. */
  norm?: 'global' | 'band';
}

export interface ResolvedFeatures {
  features: FeatureSpec;
  /** Lines for the log: every choice that was not simply a default. */
  notes: string[];
}

/**
 * The feature config for a target rate. The defaults (n_fft 1024, hop 256)
 * are sized at `HOP_REFERENCE_RATE`; at other rates the hop scales with the
 * rate exactly (rounded to whole samples; the front-end takes any hop up to
 * n_fft) and n_fft is the power of two nearest 4·hop, at most the front-end's
 * 2048. So at every rate a frame hop covers the same 43 ms and a 32-frame
 * window spans the same 1.37 s — also at rates that are not 6000·2^k, such as
 * the Nano's native 16000 Hz (hop 683, where a power-of-two hop of 512 would
 * give 1.02 s windows). At 6000·2^k the FFT bins are the same 5.9 Hz apart
 * (11.7 Hz at 24 kHz, where n_fft is capped; 7.8 Hz at 16 kHz, where the
 * nearest power of two is 2048). A sweep over rates changes the bandwidth the
 * model sees and nothing else, as the paper's experiment intends. (A fixed
 * hop in samples would give a 24 kHz window 0.34 s and a 3 kHz window 2.7 s,
 * and the longer context, not the rate, would decide the AUC.) It also keeps
 * the front-end's column rate constant. If a clip is then too short for two
 * windows, hop is halved until it is not; the log says so. `--paper` features
 * are whole clips: the window width is set from the data later
 * (`wholeClipFrames`).
 */
export function resolveFeatureConfig(rate: number, o: FeatureOverrides = {}): ResolvedFeatures {
  (Number.isInteger(rate) && rate > 0) || fail('BAD_RATE', `--rate ${rate} is not a positive integer number of Hz; use e.g. 6000`);
  const pdmRate = choosePdmRate(rate);
  const notes: string[] = [];
  if (o.paper) {
    if (o.mode === 'fixed') fail('BAD_ARGUMENT', `--paper uses the paper's float features; drop --features fixed or drop --paper`);
    notes.push(
      `--paper: n_fft ${PAPER_FEATURES.nFft}, hop ${PAPER_FEATURES.hop}, ${PAPER_FEATURES.nMels} Mel bands, whole clips padded to multiples of 4, clip-scoped top_db, float features — the activations will not fit the Nano's 256 KB RAM (≈ 40·M·F bytes)`,
    );
    const features: FeatureSpec = {
      mode: 'float',
      sampleRate: rate,
      pdmRate,
      nFft: PAPER_FEATURES.nFft,
      hop: PAPER_FEATURES.hop,
      nMels: PAPER_FEATURES.nMels,
      fmin: 0,
      fmax: rate / 2,
      topDb: PAPER_FEATURES.topDb,
      windowFrames: 0,
      windowHop: 0,
      wholeClip: true,
      ...normOf(o),
    };
    return { features, notes };
  }
  const nMels = positive('--n-mels', o.nMels ?? NANO_DEFAULTS.nMels);
  const windowFrames = positive('--frames', o.frames ?? NANO_DEFAULTS.windowFrames);
  const windowHop = positive('--window-hop', o.windowHop ?? Math.max(1, Math.floor(windowFrames / 2)));
  let hop = o.hop ?? NANO_DEFAULTS.hop;
  let nFft = o.nFft ?? (o.hop !== undefined ? Math.max(16, 2 ** Math.ceil(Math.log2(4 * o.hop))) : NANO_DEFAULTS.nFft);
  if (o.hop === undefined && o.nFft === undefined) {
    hop = Math.max(MIN_HOP, Math.round((NANO_DEFAULTS.hop * rate) / HOP_REFERENCE_RATE));
    nFft = nearestFft(hop);
    if (hop !== NANO_DEFAULTS.hop) {
      notes.push(
        `at ${rate} Hz: n_fft ${nFft}, hop ${hop} (scaled from ${NANO_DEFAULTS.nFft}/${NANO_DEFAULTS.hop} at ${HOP_REFERENCE_RATE} Hz), so a ${windowFrames}-frame window spans ${((windowFrames * hop) / rate).toFixed(2)} s at every rate; pass --hop/--n-fft to override`,
      );
    }
    const framesNeeded = windowFrames + windowHop; // two windows
    const clipSeconds = o.clipSeconds ?? REFERENCE_CLIP_SECONDS;
    const samples = rate * clipSeconds;
    const scaled = hop;
    while (hop > MIN_HOP && 1 + Math.floor(samples / hop) < framesNeeded) hop = Math.max(MIN_HOP, Math.floor(hop / 2));
    if (hop !== scaled) {
      nFft = nearestFft(hop);
      notes.push(
        `at ${rate} Hz a ${+clipSeconds.toFixed(2)} s clip gives too few frames for two ${windowFrames}-frame windows at hop ${scaled}; using n_fft ${nFft}, hop ${hop}`,
      );
    }
  }
  positive('--hop', hop);
  hop <= nFft || fail('BAD_ARGUMENT', `--hop ${hop} is larger than --n-fft ${nFft}; choose hop ≤ n_fft`);
  const features: FeatureSpec = {
    mode: o.mode ?? 'fixed',
    sampleRate: rate,
    pdmRate,
    nFft,
    hop,
    nMels,
    fmin: 0,
    fmax: rate / 2,
    topDb: NANO_DEFAULTS.topDb,
    windowFrames,
    windowHop,
    ...normOf(o),
  };
  return { features, notes };
}

/** `norm` is written only for per-band normalisation, so global runs keep the FeatureSpec they always had. */
function normOf(o: FeatureOverrides): Pick<FeatureSpec, 'norm'> {
  if (o.norm === undefined || o.norm === 'global') return {};
  o.norm === 'band' || fail('BAD_ARGUMENT', `--norm ${String(o.norm)} is not global or band`);
  return { norm: 'band' };
}

/** The power of two nearest 4·hop (a frame 4 hops long, as at the reference rate), at most the front-end's largest FFT. */
function nearestFft(hop: number): number {
  return Math.min(MAX_N_FFT, 2 ** Math.round(Math.log2(4 * hop)));
}

/** Whole-clip (paper) windows: the clip's frame count padded up to a multiple of 4. */
export function wholeClipFrames(nFrames: number): number {
  return Math.ceil(nFrames / 4) * 4;
}

function positive(flag: string, v: number): number {
  return Number.isInteger(v) && v > 0 ? v : fail('BAD_ARGUMENT', `${flag} must be a positive integer, got ${v}`);
}
