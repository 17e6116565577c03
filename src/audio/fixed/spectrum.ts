import { bitLength } from './int-math.js';
import type { FrontEndTables } from './tables.js';

/**
 * One frame → block-floating-point power spectrum, the twin of
 * tp_spectrum.c. Steps and their scale (the exponent bookkeeping):
 *  1. p = x·hann (int16 · Q15, exact int32).
 *  2. normalise by the frame's headroom: v = p·2^−e so |v| < 2^(29 − log2 n)
 *     (e < 0 shifts left for quiet frames: they keep full precision).
 *  3. complex radix-2 FFT of n/2 points on (v[2j], v[2j+1]), Q15 twiddles,
 *     rounded products, no per-stage scaling: the headroom covers the worst
 *     growth, so the block exponent stays e through the stages.
 *  4. split into the real spectrum X' = 2·X (bins 0..n/2; DC and Nyquist packed
 *     in slots 0 and 1).
 *  5. components rounded right by c1 so they are < 2^25, power P = re² + im²
 *     (< 2^51, exact), then P' = P >> ps with P' < 2^powerBits.
 * Returns frameExp with float power(k) ≈ P'(k) · 2^frameExp for samples
 * scaled as int16/32768, or null for an all-zero frame. P'(k) goes to power[k]
 * (the C keeps it in place as uint32).
 */
export function frameSpectrum(
  t: FrontEndTables,
  frame: Int16Array,
  frameStart: number,
  work: Int32Array,
  power: Float64Array,
): number | null {
  const n = t.spec.nFft;
  const mask = n - 1;
  const hann = t.hannQ15;
  let maxAbs = 0;
  for (let i = 0; i < n; i++) {
    const p = frame[(frameStart + i) & mask]! * hann[i]!;
    work[i] = p;
    const a = p < 0 ? -p : p;
    if (a > maxAbs) maxAbs = a;
  }
  if (maxAbs === 0) return null;
  const e = bitLength(maxAbs) - t.frameHeadroomBits;
  if (e > 0) {
    const half = 1 << (e - 1);
    for (let i = 0; i < n; i++) work[i] = (work[i]! + half) >> e;
  } else if (e < 0) {
    for (let i = 0; i < n; i++) work[i] = work[i]! << -e;
  }
  complexFft(work, n >> 1, t.twiddleQ15);
  splitReal(work, n >> 1, t.twiddleQ15);

  let maxc = 0;
  for (let i = 0; i < n; i++) {
    const v = work[i]!;
    const a = v < 0 ? -v : v;
    if (a > maxc) maxc = a;
  }
  const bl = bitLength(maxc);
  const c1 = bl > 24 ? bl - 24 : 0;
  const boundBits = bl < 25 ? bl : 25;
  const ps = Math.max(0, 2 * boundBits + 1 - t.powerBits);
  const cHalf = c1 > 0 ? 2 ** (c1 - 1) : 0;
  const cDiv = 2 ** c1;
  const pDiv = 2 ** ps;
  const comp = (v: number) => (c1 === 0 ? v : Math.floor((v + cHalf) / cDiv));
  // Bin 0 and n/2 are real and packed in slots 0 and 1; bin k ≥ 1 at slots 2k, 2k+1.
  const dc = comp(work[0]!);
  const nyq = comp(work[1]!);
  power[0] = Math.floor((dc * dc) / pDiv);
  for (let k = 1; k < n >> 1; k++) {
    const re = comp(work[2 * k]!);
    const im = comp(work[2 * k + 1]!);
    power[k] = Math.floor((re * re + im * im) / pDiv);
  }
  power[n >> 1] = Math.floor((nyq * nyq) / pDiv);
  return ps + 2 * c1 + 2 * e - 62;
}

function cmulRe(c: number, s: number, br: number, bi: number): number {
  return Math.floor((c * br + s * bi + 16384) / 32768);
}
function cmulIm(c: number, s: number, br: number, bi: number): number {
  return Math.floor((c * bi - s * br + 16384) / 32768);
}

/** In-place radix-2 DIT FFT of N complex int32 (interleaved). W = cos − i·sin from the nFft/2-entry table. */
function complexFft(d: Int32Array, N: number, tw: Int16Array): void {
  // Bit-reversal permutation.
  for (let i = 1, j = 0; i < N; i++) {
    let bit = N >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const r = d[2 * i]!;
      const im = d[2 * i + 1]!;
      d[2 * i] = d[2 * j]!;
      d[2 * i + 1] = d[2 * j + 1]!;
      d[2 * j] = r;
      d[2 * j + 1] = im;
    }
  }
  // twiddle for a stage of span 2·half: W_N^k = W_n^(k·n/(2·half)) = table[k·N/half].
  for (let half = 1; half < N; half <<= 1) {
    const stride = N / half;
    for (let k = 0; k < half; k++) {
      const c = tw[2 * k * stride]!;
      const s = tw[2 * k * stride + 1]!;
      for (let a = k; a < N; a += 2 * half) {
        const b = a + half;
        const br = d[2 * b]!;
        const bi = d[2 * b + 1]!;
        const tr = cmulRe(c, s, br, bi);
        const ti = cmulIm(c, s, br, bi);
        const ar = d[2 * a]!;
        const ai = d[2 * a + 1]!;
        d[2 * a] = ar + tr;
        d[2 * a + 1] = ai + ti;
        d[2 * b] = ar - tr;
        d[2 * b + 1] = ai - ti;
      }
    }
  }
}

/**
 * Z = FFT(N) of z[j] = v[2j] + i·v[2j+1] → X' = 2·FFT(n)(v) for bins 0..N:
 * X'[k] = A − i·W^k·B with A = Z[k] + conj Z[N−k], B = Z[k] − conj Z[N−k];
 * X'[N−k] = conj A − i·conj(W^k·B).
 */
function splitReal(d: Int32Array, N: number, tw: Int16Array): void {
  const zr0 = d[0]!;
  const zi0 = d[1]!;
  d[0] = 2 * (zr0 + zi0);
  d[1] = 2 * (zr0 - zi0);
  for (let k = 1; k <= N >> 1; k++) {
    const m = N - k;
    const zrk = d[2 * k]!;
    const zik = d[2 * k + 1]!;
    const zrm = d[2 * m]!;
    const zim = d[2 * m + 1]!;
    const Ar = zrk + zrm;
    const Ai = zik - zim;
    const Br = zrk - zrm;
    const Bi = zik + zim;
    const c = tw[2 * k]!;
    const s = tw[2 * k + 1]!;
    const Cr = cmulRe(c, s, Br, Bi);
    const Ci = cmulIm(c, s, Br, Bi);
    d[2 * k] = Ar + Ci;
    d[2 * k + 1] = Ai - Cr;
    d[2 * m] = Ar - Ci;
    d[2 * m + 1] = -Ai - Cr;
  }
}
