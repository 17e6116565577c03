import type { TensorData } from '../../ir/index.js';

/**
 * Detects a calibration range that a few extreme values blow up.
 *
 * Min/max calibration (what TFLite's post-training quantisation does) sets a
 * tensor's int8 scale from its single most extreme value. One outlier (a bad
 * sample, a 1e30 in the data) can make that scale orders of magnitude coarser
 * than the values the tensor normally holds, so they all land on one or two of
 * the 256 int8 steps and the int8 model's output is garbage, with no error.
 *
 * The robust range is the 0.1th–99.9th percentile of the tensor's values over
 * all samples, estimated from a deterministic strided subsample of at most
 * SUBSAMPLE values (at that size the 99.9th percentile still has ~16 values
 * above it). Both ranges include 0, as the int8 params do. The ratio of the
 * spans is how many times coarser the scale is than typical values need:
 * for ordinary activations it stays small (a Gaussian's max over 10^6 draws
 * is ~1.5× its 99.9th percentile, a Laplacian's ~2×; a sparse ReLU output is
 * judged on its whole distribution, zeros included). OUTLIER_RATIO = 100 means
 * typical values get at most ~2.5 of the 256 steps.
 */
export const SUBSAMPLE = 16_384;
export const OUTLIER_RATIO = 100;

export interface OutlierFinding {
  /** The full (min/max) range and the robust (percentile) range, both including 0. */
  range: { min: number; max: number };
  robust: { min: number; max: number };
  ratio: number;
  /** The sample holding the most extreme value. */
  extremeSample: number;
}

/** Accumulates one tensor's subsample and where its extreme value was seen. */
export class RangeSampler {
  private readonly values: Float32Array;
  private count = 0;
  private seen = 0;
  private extremeAbs = -1;
  extremeSample = -1;

  /** `total` = values the tensor will show over all samples, so the stride is known up front. */
  constructor(private readonly total: number) {
    this.values = new Float32Array(Math.min(SUBSAMPLE, total));
  }

  private get stride(): number {
    return Math.max(1, Math.ceil(this.total / SUBSAMPLE));
  }

  /** One sample's values of the tensor, and their largest magnitude (the caller's min/max pass has it). */
  add(values: TensorData, sample: number, extremeAbs: number): void {
    const stride = this.stride;
    // The first index of this sample's values that falls on the global stride.
    let i = (stride - (this.seen % stride)) % stride;
    for (; i < values.length && this.count < this.values.length; i += stride) this.values[this.count++] = Number(values[i]);
    this.seen += values.length;
    if (extremeAbs > this.extremeAbs) {
      this.extremeAbs = extremeAbs;
      this.extremeSample = sample;
    }
  }

  /** The finding when the min/max span is OUTLIER_RATIO or more times the robust span; undefined otherwise. */
  judge(range: { min: number; max: number }): OutlierFinding | undefined {
    if (this.count === 0) return undefined;
    const sorted = this.values.slice(0, this.count).sort();
    const at = (p: number) => sorted[Math.min(this.count - 1, Math.max(0, Math.floor(p * (this.count - 1))))]!;
    const robust = { min: Math.min(0, at(0.001)), max: Math.max(0, at(0.999)) };
    const full = { min: Math.min(0, range.min), max: Math.max(0, range.max) };
    const robustSpan = robust.max - robust.min;
    // A tensor that is almost always 0 has no typical scale to compare with.
    if (!(robustSpan > 0)) return undefined;
    const ratio = (full.max - full.min) / robustSpan;
    return ratio >= OUTLIER_RATIO ? { range: full, robust, ratio, extremeSample: this.extremeSample } : undefined;
  }
}
