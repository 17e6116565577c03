/**
 * Real-input FFT in float64, for the float Mel reference.
 *
 * Power-of-two sizes use an iterative radix-2 complex FFT of half the size on
 * the packed signal (even samples as real parts, odd as imaginary) and a split
 * step; other sizes use Bluestein's chirp-z algorithm on a power-of-two
 * convolution, so any n_fft librosa accepts works here too.
 *
 * Twiddles are computed one by one with Math.cos/sin (no recurrences), so the
 * rounding error stays near machine epsilon times log2(n).
 */

/** A planned transform: tables are built once and reused for every frame. */
export interface RealFft {
  readonly size: number;
  /** Number of output bins, 1 + floor(size / 2). */
  readonly bins: number;
  /**
   * Forward transform of `input` (length `size`, not modified):
   * X[k] = Σ x[t]·e^{-2πikt/n}, written to `re`/`im` (length `bins`).
   */
  forward(input: Float64Array, re: Float64Array, im: Float64Array): void;
}

export function planRealFft(size: number): RealFft {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`FFT size must be a positive integer, got ${size}`);
  if (size === 1) return { size, bins: 1, forward: (x, re, im) => ((re[0] = x[0]!), (im[0] = 0)) };
  return isPowerOfTwo(size) ? planPackedRadix2(size) : planBluestein(size);
}

export function isPowerOfTwo(n: number): boolean {
  return n >= 1 && (n & (n - 1)) === 0;
}

/** In-place complex radix-2 FFT of a fixed power-of-two size. */
interface ComplexFft {
  readonly size: number;
  run(re: Float64Array, im: Float64Array, inverse: boolean): void;
}

function planComplexRadix2(size: number): ComplexFft {
  const bits = Math.round(Math.log2(size));
  const reverse = new Uint32Array(size);
  for (let i = 0; i < size; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    reverse[i] = r;
  }
  const half = size >> 1;
  const cos = new Float64Array(half);
  const sin = new Float64Array(half);
  for (let k = 0; k < half; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / size);
    sin[k] = Math.sin((2 * Math.PI * k) / size);
  }
  return {
    size,
    run(re, im, inverse) {
      for (let i = 0; i < size; i++) {
        const j = reverse[i]!;
        if (j > i) {
          const tr = re[i]!;
          re[i] = re[j]!;
          re[j] = tr;
          const ti = im[i]!;
          im[i] = im[j]!;
          im[j] = ti;
        }
      }
      const sign = inverse ? 1 : -1;
      for (let len = 2; len <= size; len <<= 1) {
        const halfLen = len >> 1;
        const step = size / len;
        for (let start = 0; start < size; start += len) {
          for (let k = 0; k < halfLen; k++) {
            const wr = cos[k * step]!;
            const wi = sign * sin[k * step]!;
            const a = start + k;
            const b = a + halfLen;
            const xr = re[b]! * wr - im[b]! * wi;
            const xi = re[b]! * wi + im[b]! * wr;
            re[b] = re[a]! - xr;
            im[b] = im[a]! - xi;
            re[a] = re[a]! + xr;
            im[a] = im[a]! + xi;
          }
        }
      }
    },
  };
}

function planPackedRadix2(size: number): RealFft {
  const half = size >> 1;
  const inner = planComplexRadix2(half);
  const zr = new Float64Array(half);
  const zi = new Float64Array(half);
  const cos = new Float64Array(half + 1);
  const sin = new Float64Array(half + 1);
  for (let k = 0; k <= half; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / size);
    sin[k] = Math.sin((2 * Math.PI * k) / size);
  }
  return {
    size,
    bins: half + 1,
    forward(x, re, im) {
      for (let t = 0; t < half; t++) {
        zr[t] = x[2 * t]!;
        zi[t] = x[2 * t + 1]!;
      }
      inner.run(zr, zi, false);
      // With Z = FFT(z): E[k] = (Z[k] + conj Z[h-k]) / 2 is the even-sample
      // spectrum, O[k] = (Z[k] - conj Z[h-k]) / 2i the odd one, and
      // X[k] = E[k] + e^{-2πik/n}·O[k].
      for (let k = 0; k <= half; k++) {
        const a = k % half;
        const b = (half - k) % half;
        const er = (zr[a]! + zr[b]!) / 2;
        const ei = (zi[a]! - zi[b]!) / 2;
        const or = (zi[a]! + zi[b]!) / 2;
        const oi = -(zr[a]! - zr[b]!) / 2;
        const wr = cos[k]!;
        const wi = -sin[k]!;
        re[k] = er + wr * or - wi * oi;
        im[k] = ei + wr * oi + wi * or;
      }
    },
  };
}

/**
 * Bluestein: X[k] = c̄[k]·Σ (x[t]·c̄[t])·c[k−t] with the chirp c[m] = e^{iπm²/n},
 * a linear convolution done with power-of-two FFTs of size ≥ 2n − 1.
 */
function planBluestein(size: number): RealFft {
  const bins = 1 + Math.floor(size / 2);
  let m = 1;
  while (m < 2 * size - 1) m <<= 1;
  const inner = planComplexRadix2(m);
  const chirpRe = new Float64Array(size);
  const chirpIm = new Float64Array(size);
  for (let t = 0; t < size; t++) {
    // t² mod 2n keeps the angle small, so it stays exact for large t.
    const angle = (Math.PI * ((t * t) % (2 * size))) / size;
    chirpRe[t] = Math.cos(angle);
    chirpIm[t] = Math.sin(angle);
  }
  // FFT of the chirp laid out circularly (c[m−j] for negative offsets).
  const kernelRe = new Float64Array(m);
  const kernelIm = new Float64Array(m);
  kernelRe[0] = chirpRe[0]!;
  kernelIm[0] = chirpIm[0]!;
  for (let t = 1; t < size; t++) {
    kernelRe[t] = kernelRe[m - t] = chirpRe[t]!;
    kernelIm[t] = kernelIm[m - t] = chirpIm[t]!;
  }
  inner.run(kernelRe, kernelIm, false);
  const ar = new Float64Array(m);
  const ai = new Float64Array(m);
  return {
    size,
    bins,
    forward(x, re, im) {
      ar.fill(0);
      ai.fill(0);
      for (let t = 0; t < size; t++) {
        ar[t] = x[t]! * chirpRe[t]!;
        ai[t] = -x[t]! * chirpIm[t]!;
      }
      inner.run(ar, ai, false);
      for (let j = 0; j < m; j++) {
        const pr = ar[j]! * kernelRe[j]! - ai[j]! * kernelIm[j]!;
        const pi = ar[j]! * kernelIm[j]! + ai[j]! * kernelRe[j]!;
        ar[j] = pr;
        ai[j] = pi;
      }
      inner.run(ar, ai, true);
      for (let k = 0; k < bins; k++) {
        const yr = ar[k]! / m;
        const yi = ai[k]! / m;
        re[k] = yr * chirpRe[k]! + yi * chirpIm[k]!;
        im[k] = yi * chirpRe[k]! - yr * chirpIm[k]!;
      }
    },
  };
}
