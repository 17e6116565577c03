/*
 * One frame → block-floating-point power spectrum (twin: spectrum.ts).
 *
 * 1. p = x·hann (int16 × Q15, exact in int32).
 * 2. Normalise by the frame's headroom: v = p·2^−e with |v| < 2^(29 − log2 n).
 *    Quiet frames shift left (e < 0) and keep their precision.
 * 3. Complex radix-2 DIT FFT of n/2 points on z[j] = v[2j] + i·v[2j+1], Q15
 *    twiddles, rounded products. |X| ≤ n·max|v| and the split doubles it, so
 *    that headroom means no stage can overflow: the block exponent is e
 *    through every stage and no per-stage scaling is needed.
 * 4. Split to X' = 2·X for bins 0..n/2 (DC and Nyquist packed in slots 0, 1).
 * 5. Components rounded right by c1 to < 2^25; P = re² + im² < 2^51 (uint64);
 *    P' = P >> ps < 2^power_bits, written in place as uint32 at slot k.
 * Float power (samples as int16/32768) ≈ P'·2^(ps + 2·c1 + 2·e − 62).
 */
#include "tp_internal.h"

static inline int32_t cmul_re(int32_t c, int32_t s, int32_t br, int32_t bi) {
  return (int32_t)tp_asr64((int64_t)c * br + (int64_t)s * bi + 16384, 15);
}
static inline int32_t cmul_im(int32_t c, int32_t s, int32_t br, int32_t bi) {
  return (int32_t)tp_asr64((int64_t)c * bi - (int64_t)s * br + 16384, 15);
}

static void complex_fft(int32_t *d, uint32_t N, const int16_t *tw) {
  uint32_t i, j = 0, half;
  for (i = 1; i < N; i++) {
    uint32_t bit = N >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      int32_t r = d[2 * i], im = d[2 * i + 1];
      d[2 * i] = d[2 * j];
      d[2 * i + 1] = d[2 * j + 1];
      d[2 * j] = r;
      d[2 * j + 1] = im;
    }
  }
  for (half = 1; half < N; half <<= 1) {
    const uint32_t stride = N / half;
    uint32_t k;
    for (k = 0; k < half; k++) {
      const int32_t c = tw[2 * k * stride];
      const int32_t s = tw[2 * k * stride + 1];
      uint32_t a;
      for (a = k; a < N; a += 2 * half) {
        const uint32_t b = a + half;
        const int32_t br = d[2 * b], bi = d[2 * b + 1];
        const int32_t tr = cmul_re(c, s, br, bi);
        const int32_t ti = cmul_im(c, s, br, bi);
        const int32_t ar = d[2 * a], ai = d[2 * a + 1];
        d[2 * a] = ar + tr;
        d[2 * a + 1] = ai + ti;
        d[2 * b] = ar - tr;
        d[2 * b + 1] = ai - ti;
      }
    }
  }
}

/* X'[k] = A − i·W^k·B, X'[N−k] = conj A − i·conj(W^k·B), with
 * A = Z[k] + conj Z[N−k], B = Z[k] − conj Z[N−k]. */
static void split_real(int32_t *d, uint32_t N, const int16_t *tw) {
  const int32_t zr0 = d[0], zi0 = d[1];
  uint32_t k;
  d[0] = 2 * (zr0 + zi0);
  d[1] = 2 * (zr0 - zi0);
  for (k = 1; k <= N / 2; k++) {
    const uint32_t m = N - k;
    const int32_t zrk = d[2 * k], zik = d[2 * k + 1];
    const int32_t zrm = d[2 * m], zim = d[2 * m + 1];
    const int32_t ar = zrk + zrm, ai = zik - zim;
    const int32_t br = zrk - zrm, bi = zik + zim;
    const int32_t c = tw[2 * k], s = tw[2 * k + 1];
    const int32_t cr = cmul_re(c, s, br, bi);
    const int32_t ci = cmul_im(c, s, br, bi);
    d[2 * k] = ar + ci;
    d[2 * k + 1] = ai - cr;
    d[2 * m] = ar - ci;
    d[2 * m + 1] = -ai - cr;
  }
}

int tp_frame_spectrum(const tp_fe_config *c, const int16_t *frame, uint32_t start, int32_t *work, int32_t *frame_exp) {
  const uint32_t n = c->n_fft;
  const uint32_t mask = n - 1u;
  uint32_t i, k, max_abs = 0, maxc = 0, bl, c1, bound_bits, ps;
  int32_t e;
  uint32_t *power = (uint32_t *)work;
  int64_t dc, nyq;

  for (i = 0; i < n; i++) {
    const int32_t p = (int32_t)frame[(start + i) & mask] * (int32_t)c->hann_q15[i];
    const uint32_t a = (uint32_t)(p < 0 ? -p : p);
    work[i] = p;
    if (a > max_abs) max_abs = a;
  }
  if (max_abs == 0u) return 0;
  e = (int32_t)tp_bit_length32(max_abs) - (int32_t)c->frame_headroom_bits;
  if (e > 0) {
    const int32_t half = (int32_t)1 << (e - 1);
    for (i = 0; i < n; i++) work[i] = tp_asr32(work[i] + half, (unsigned)e);
  } else if (e < 0) {
    for (i = 0; i < n; i++) work[i] = (int32_t)((uint32_t)work[i] << (unsigned)-e);
  }
  complex_fft(work, n / 2u, c->twiddle_q15);
  split_real(work, n / 2u, c->twiddle_q15);

  for (i = 0; i < n; i++) {
    const int32_t v = work[i];
    const uint32_t a = (uint32_t)(v < 0 ? -v : v);
    if (a > maxc) maxc = a;
  }
  bl = tp_bit_length32(maxc);
  c1 = bl > 24u ? bl - 24u : 0u;
  bound_bits = bl < 25u ? bl : 25u;
  ps = 2u * bound_bits + 1u > c->power_bits ? 2u * bound_bits + 1u - c->power_bits : 0u;

#define TP_COMP(v) (c1 == 0u ? (int64_t)(v) : tp_asr64((int64_t)(v) + ((int64_t)1 << (c1 - 1u)), c1))
  dc = TP_COMP(work[0]);
  nyq = TP_COMP(work[1]);
  /* P'[k] goes to slot k, which bin k/2 has already been read from (k ≥ 1). */
  power[0] = (uint32_t)((uint64_t)(dc * dc) >> ps);
  for (k = 1; k < n / 2u; k++) {
    const int64_t re = TP_COMP(work[2 * k]);
    const int64_t im = TP_COMP(work[2 * k + 1]);
    power[k] = (uint32_t)((uint64_t)(re * re + im * im) >> ps);
  }
  power[n / 2u] = (uint32_t)((uint64_t)(nyq * nyq) >> ps);
#undef TP_COMP
  *frame_exp = (int32_t)ps + 2 * (int32_t)c1 + 2 * e - 62;
  return 1;
}
