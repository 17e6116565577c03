/* CONV_2D, int8, per-channel weights, optimised for the Cortex-M4 (DSP
 * extension), bit-exact with the reference kernel ../conv_2d.h followed by the
 * ops it absorbs. What differs from the reference, and why it is exact:
 *
 *  - Input view. The conv reads its input through two compile-time tables,
 *    row_src and col_src, giving for every output row (column) and filter tap
 *    the stored input row (column), or -1 for padding. Strides, dilation and
 *    SAME padding are in the tables, and so are a RESIZE_NEAREST_NEIGHBOR or a
 *    spatial PAD in front of the conv: their output is never stored.
 *  - Zero point folded into the bias. The generator stores
 *    bias' = bias − in_zp·Σw, so the kernel multiplies raw input values. A
 *    padding tap then reads in_zp (it must add w·in_zp to cancel the fold),
 *    which is what the reference's "padding contributes nothing" means. The
 *    sums are equal mod 2^32, as int32 accumulators are.
 *  - Fused max pooling. When a MAX_POOL_2D whose windows tile the conv output
 *    (filter = stride) is the conv's only consumer, each pooled output is
 *    requant(max of the window's accumulators). Requantisation and clamping
 *    are non-decreasing, so max then requantise equals requantise then max;
 *    the generator checks that no accumulator can reach the left shift's wrap
 *    (the one non-monotone case) before it fuses. The full-resolution conv
 *    output is never stored. A 1×1 window is a plain conv.
 *  - Two pixels by two output channels per inner loop, with SMLAD (two 16-bit
 *    MACs per instruction). The window's pixels are first unpacked to int16
 *    (SXTB16) into a small column buffer, in pairs of pixels interleaved as
 *    [A k0,k2 | A k1,k3 | B k0,k2 | B k1,k3] per 4 taps (k = flattened filter
 *    index, ky, kx, ci). The weights are stored at compile time as
 *    [channel pair][k / 4][2 channels][4 bytes], so SXTB16 and SXTB16 ROR 8 of
 *    one word pair up with the column's lanes with no reordering.
 *    K is padded to a multiple of 4 with zero weights, and the channel count
 *    to a multiple of 2 (the extra channel is computed and dropped).
 */
#ifndef TP_CORTEX_M4_CONV_2D_H
#define TP_CORTEX_M4_CONV_2D_H

#include "../requantize.h"
#include "dsp.h"

typedef struct tp_conv_2d_m4_params {
  int32_t conv_h, conv_w;    /* the conv's output grid (before pooling) */
  int32_t in_w, in_c;        /* the stored input; row stride in_w·in_c */
  int32_t k_h, k_w, k4;      /* k4: k_h·k_w·in_c rounded up to a multiple of 4 */
  const int16_t *row_src;    /* [conv_h][k_h]: stored input row, -1 for padding */
  const int16_t *col_src;    /* [conv_w][k_w]: stored input column, -1 for padding */
  int32_t pool_h, pool_w;    /* pooling window = stride; 1×1 when not fused */
  int32_t pool_top, pool_left;
  int32_t out_h, out_w, out_c; /* the stored output */
  int32_t in_zp, out_zp, act_min, act_max;
  const int8_t *weights;     /* [ceil(out_c / 2)][k4 / 4][2][4] */
  const int32_t *bias;       /* [out_c rounded up to 2]: bias − in_zp·Σw */
  const int32_t *multiplier; /* [out_c] */
  const int32_t *shift;      /* [out_c] */
} tp_conv_2d_m4_params;

/* Scratch bytes: one interleaved column pair per two pixels of a job. */
#define TP_CONV_2D_M4_SCRATCH(k4, window_pixels) (4 * (k4) * (((window_pixels) + 1) / 2))

/* One group of 4 flattened-K values as the two lane words SXTB16 would give. */
TP_KERNEL void tpk_conv_put_group(uint32_t *dst, const int32_t v[4]) {
  dst[0] = (uint32_t)(uint16_t)(int16_t)v[0] | ((uint32_t)(uint16_t)(int16_t)v[2] << 16);
  dst[1] = (uint32_t)(uint16_t)(int16_t)v[1] | ((uint32_t)(uint16_t)(int16_t)v[3] << 16);
}

/* Writes pixel (y, x)'s unpacked column into slot `slot` (0 = A, 1 = B) of a pair buffer. */
TP_KERNEL void tpk_conv_column(const tp_conv_2d_m4_params *p, const int8_t *in, int32_t y, int32_t x, uint32_t *pair,
                               int32_t slot) {
  const uint32_t zp_byte = (uint32_t)(uint8_t)(int8_t)p->in_zp;
  const uint32_t zp4 = zp_byte * 0x01010101u;
  int32_t ky, kx;
  uint32_t *dst = pair + 2 * slot;
  if ((p->in_c & 3) == 0) {
    /* Whole words: each tap is in_c / 4 groups of the flattened K. */
    for (ky = 0; ky < p->k_h; ky++) {
      const int32_t r = p->row_src[y * p->k_h + ky];
      for (kx = 0; kx < p->k_w; kx++) {
        const int32_t c = p->col_src[x * p->k_w + kx];
        int32_t j;
        if (r < 0 || c < 0) {
          const uint32_t e = (uint32_t)tpk_sxtb16(zp4), o = (uint32_t)tpk_sxtb16_ror8(zp4);
          for (j = 0; j < p->in_c; j += 4) {
            dst[0] = e;
            dst[1] = o;
            dst += 4;
          }
        } else {
          const int8_t *src = in + (r * p->in_w + c) * p->in_c;
          for (j = 0; j < p->in_c; j += 4) {
            const uint32_t v = tpk_load32(src + j);
            dst[0] = (uint32_t)tpk_sxtb16(v);
            dst[1] = (uint32_t)tpk_sxtb16_ror8(v);
            dst += 4;
          }
        }
      }
    }
  } else {
    /* Any depth: the flattened K walked value by value, four at a time into
     * one group's two words. The loops are unrolled (the filter size and
     * depth are constants) so the four values stay in registers. */
    int32_t v[4] = {0, 0, 0, 0};
    int32_t k = 0, ci;
    TP_UNROLL(8)
    for (ky = 0; ky < p->k_h; ky++) {
      const int32_t r = p->row_src[y * p->k_h + ky];
      TP_UNROLL(8)
      for (kx = 0; kx < p->k_w; kx++) {
        const int32_t c = p->col_src[x * p->k_w + kx];
        const int8_t *src = r < 0 || c < 0 ? 0 : in + (r * p->in_w + c) * p->in_c;
        TP_UNROLL(4)
        for (ci = 0; ci < p->in_c; ci++) {
          v[k & 3] = src ? src[ci] : p->in_zp;
          if ((++k & 3) == 0) {
            tpk_conv_put_group(dst, v);
            dst += 4;
          }
        }
      }
    }
    if (k & 3) {
      for (; k & 3; k++) v[k & 3] = 0;
      tpk_conv_put_group(dst, v);
    }
  }
}

/* One group of 4 taps for 2 pixels × 2 channels: 3 LDRD, 4 SXTB16, 8 SMLAD for 16 MACs. */
#define TPK_CONV_GROUP()                          \
  do {                                            \
    uint32_t ae, ao, be, bo, w0, w1;              \
    int32_t we, wo;                               \
    tpk_load2(&col, &ae, &ao);                    \
    tpk_load2(&col, &be, &bo);                    \
    tpk_load2(&w, &w0, &w1);                      \
    we = tpk_sxtb16(w0);                          \
    wo = tpk_sxtb16_ror8(w0);                     \
    a0 = tpk_smlad((int32_t)ae, we, a0);          \
    a0 = tpk_smlad((int32_t)ao, wo, a0);          \
    b0 = tpk_smlad((int32_t)be, we, b0);          \
    b0 = tpk_smlad((int32_t)bo, wo, b0);          \
    we = tpk_sxtb16(w1);                          \
    wo = tpk_sxtb16_ror8(w1);                     \
    a1 = tpk_smlad((int32_t)ae, we, a1);          \
    a1 = tpk_smlad((int32_t)ao, wo, a1);          \
    b1 = tpk_smlad((int32_t)be, we, b1);          \
    b1 = tpk_smlad((int32_t)bo, wo, b1);          \
  } while (0)

/* acc[0..3] = channel 0 at A, channel 1 at A, channel 0 at B, channel 1 at B.
 * Two groups per iteration, the loop ending on the column pointer. */
TP_KERNEL void tpk_conv_mac_2x2_inline(const uint32_t *col, const int8_t *weights, int32_t groups, int32_t bias0,
                                       int32_t bias1, int32_t acc[4]) {
  const uint32_t *w = (const uint32_t *)(const void *)weights;
  const uint32_t *const end = col + 4 * groups;
  int32_t a0 = bias0, a1 = bias1, b0 = bias0, b1 = bias1;
  if (groups & 1) TPK_CONV_GROUP();
  while (col != end) {
    TPK_CONV_GROUP();
    TPK_CONV_GROUP();
  }
  acc[0] = a0;
  acc[1] = a1;
  acc[2] = b0;
  acc[3] = b1;
}

/* One pixel (slot A) × 2 channels, for a lone last pixel: 2 LDRD, 4 SXTB16, 4 SMLAD for 8 MACs. */
TP_KERNEL void tpk_conv_mac_2x1_inline(const uint32_t *col, const int8_t *weights, int32_t groups, int32_t bias0,
                                       int32_t bias1, int32_t acc[2]) {
  const uint32_t *w = (const uint32_t *)(const void *)weights;
  int32_t a0 = bias0, a1 = bias1, g;
  TP_UNROLL(2)
  for (g = 0; g < groups; g++) {
    uint32_t ae, ao, w0, w1;
    int32_t we, wo;
    tpk_load2_skip2(&col, &ae, &ao); /* and past B's words */
    tpk_load2(&w, &w0, &w1);
    we = tpk_sxtb16(w0);
    wo = tpk_sxtb16_ror8(w0);
    a0 = tpk_smlad((int32_t)ae, we, a0);
    a0 = tpk_smlad((int32_t)ao, wo, a0);
    we = tpk_sxtb16(w1);
    wo = tpk_sxtb16_ror8(w1);
    a1 = tpk_smlad((int32_t)ae, we, a1);
    a1 = tpk_smlad((int32_t)ao, wo, a1);
  }
  acc[0] = a0;
  acc[1] = a1;
}

TP_LOOP void tpk_conv_mac_2x1(const uint32_t *col, const int8_t *weights, int32_t groups, int32_t bias0, int32_t bias1,
                              int32_t acc[2]) {
  tpk_conv_mac_2x1_inline(col, weights, groups, bias0, bias1, acc);
}

/* The same loop kept out of line: inlined into a layer's outer loops, its
 * accumulators spill for long K. */
TP_LOOP void tpk_conv_mac_2x2(const uint32_t *col, const int8_t *weights, int32_t groups, int32_t bias0, int32_t bias1,
                              int32_t acc[4]) {
  tpk_conv_mac_2x2_inline(col, weights, groups, bias0, bias1, acc);
}

/* Up to this many 4-tap groups the loop is inlined (and unrolled: K is a
 * constant), where a call would cost more than the few MACs it does. */
#define TP_CONV_INLINE_GROUPS 4

TP_KERNEL void tpk_conv_mac(const tp_conv_2d_m4_params *p, const uint32_t *col, int32_t cp, int32_t acc[4]) {
  const int32_t groups = p->k4 >> 2;
  if (groups <= TP_CONV_INLINE_GROUPS) {
    tpk_conv_mac_2x2_inline(col, p->weights + cp * p->k4, groups, p->bias[cp], p->bias[cp + 1], acc);
  } else {
    tpk_conv_mac_2x2(col, p->weights + cp * p->k4, groups, p->bias[cp], p->bias[cp + 1], acc);
  }
}

TP_KERNEL void tpk_conv_mac_one(const tp_conv_2d_m4_params *p, const uint32_t *col, int32_t cp, int32_t acc[2]) {
  const int32_t groups = p->k4 >> 2;
  if (groups <= TP_CONV_INLINE_GROUPS) {
    tpk_conv_mac_2x1_inline(col, p->weights + cp * p->k4, groups, p->bias[cp], p->bias[cp + 1], acc);
  } else {
    tpk_conv_mac_2x1(col, p->weights + cp * p->k4, groups, p->bias[cp], p->bias[cp + 1], acc);
  }
}

TP_KERNEL void tpk_conv_store(const tp_conv_2d_m4_params *p, int8_t *out, int32_t c, int32_t acc) {
  out[c] = tpk_requantize_s8(acc, p->multiplier[c], p->shift[c], p->out_zp, p->act_min, p->act_max);
}

/* No pooling: pixels two at a time in row-major order. */
TP_KERNEL void tpk_conv_2d_m4_plain(const tp_conv_2d_m4_params *p, const int8_t *in, int8_t *out, uint32_t *cols) {
  const int32_t pixels = p->conv_h * p->conv_w;
  int32_t i, cp, acc[4] = {0, 0, 0, 0};
  for (i = 0; i < pixels; i += 2) {
    const int has_b = i + 1 < pixels;
    int8_t *out_a = out + i * p->out_c;
    tpk_conv_column(p, in, i / p->conv_w, i % p->conv_w, cols, 0);
    if (has_b) tpk_conv_column(p, in, (i + 1) / p->conv_w, (i + 1) % p->conv_w, cols, 1);
    for (cp = 0; cp < p->out_c; cp += 2) {
      if (has_b) {
        tpk_conv_mac(p, cols, cp, acc);
      } else {
        tpk_conv_mac_one(p, cols, cp, acc); /* a lone last pixel (one for a fully connected row) */
      }
      tpk_conv_store(p, out_a, cp, acc[0]);
      if (cp + 1 < p->out_c) tpk_conv_store(p, out_a, cp + 1, acc[1]);
      if (has_b) {
        tpk_conv_store(p, out_a + p->out_c, cp, acc[2]);
        if (cp + 1 < p->out_c) tpk_conv_store(p, out_a + p->out_c, cp + 1, acc[3]);
      }
    }
  }
}

/* Fused max pooling: one job per pooled output, its window's pixels in pairs. */
TP_KERNEL void tpk_conv_2d_m4_pooled(const tp_conv_2d_m4_params *p, const int8_t *in, int8_t *out, uint32_t *cols) {
  const int32_t pair_words = p->k4;
  int32_t py, px, cp, q, acc[4];
  for (py = 0; py < p->out_h; py++) {
    const int32_t y0 = tpk_max(0, py * p->pool_h - p->pool_top);
    const int32_t y1 = tpk_min(p->conv_h, py * p->pool_h - p->pool_top + p->pool_h);
    for (px = 0; px < p->out_w; px++) {
      const int32_t x0 = tpk_max(0, px * p->pool_w - p->pool_left);
      const int32_t x1 = tpk_min(p->conv_w, px * p->pool_w - p->pool_left + p->pool_w);
      const int32_t w = x1 - x0, n = (y1 - y0) * w;
      int32_t pairs, k;
      for (k = 0; k < n; k++) tpk_conv_column(p, in, y0 + k / w, x0 + k % w, cols + (k >> 1) * pair_words, k & 1);
      /* An odd last pixel pairs with itself: max(a, a) = a. */
      if (n & 1) tpk_conv_column(p, in, y0 + (n - 1) / w, x0 + (n - 1) % w, cols + (n >> 1) * pair_words, 1);
      pairs = (n + 1) >> 1;
      for (cp = 0; cp < p->out_c; cp += 2) {
        int32_t m0 = INT32_MIN, m1 = INT32_MIN;
        for (q = 0; q < pairs; q++) {
          tpk_conv_mac(p, cols + q * pair_words, cp, acc);
          m0 = tpk_max(m0, tpk_max(acc[0], acc[2]));
          m1 = tpk_max(m1, tpk_max(acc[1], acc[3]));
        }
        tpk_conv_store(p, out, cp, m0);
        if (cp + 1 < p->out_c) tpk_conv_store(p, out, cp + 1, m1);
      }
      out += p->out_c;
    }
  }
}

/* One output channel, 4 input channels per step, two pixels: the taps are
 * read in place (no column buffer: with one channel it would be unpacked for
 * a single use). Padding taps read `zp`, in_c bytes of the input zero point.
 * Per 4 taps: 2 LDR + 4 SXTB16 for the pixels, 1 LDR + 2 SXTB16 for the
 * weights (channel 0's word of the packed pair), 4 SMLAD for 8 MACs. */
TP_KERNEL void tpk_conv_mac_1x2(const int8_t *a, const int8_t *b, const int8_t *w, int32_t words, int32_t *acc_a,
                                int32_t *acc_b) {
  int32_t sa = *acc_a, sb = *acc_b, j;
  TP_UNROLL(4)
  for (j = 0; j < words; j++) {
    const uint32_t xa = tpk_load32(a + 4 * j), xb = tpk_load32(b + 4 * j), wv = tpk_load32(w + 8 * j);
    const int32_t we = tpk_sxtb16(wv), wo = tpk_sxtb16_ror8(wv);
    sa = tpk_smlad(tpk_sxtb16(xa), we, sa);
    sa = tpk_smlad(tpk_sxtb16_ror8(xa), wo, sa);
    sb = tpk_smlad(tpk_sxtb16(xb), we, sb);
    sb = tpk_smlad(tpk_sxtb16_ror8(xb), wo, sb);
  }
  *acc_a = sa;
  *acc_b = sb;
}

TP_KERNEL const int8_t *tpk_conv_tap(const tp_conv_2d_m4_params *p, const int8_t *in, const int8_t *zp, int32_t y, int32_t x,
                                     int32_t ky, int32_t kx) {
  const int32_t r = p->row_src[y * p->k_h + ky], c = p->col_src[x * p->k_w + kx];
  return r < 0 || c < 0 ? zp : in + (r * p->in_w + c) * p->in_c;
}

/* Without pooling, one output channel, a depth of whole words (the last conv of an autoencoder). */
TP_KERNEL void tpk_conv_2d_m4_single(const tp_conv_2d_m4_params *p, const int8_t *in, int8_t *out, int8_t *zp) {
  const int32_t pixels = p->conv_h * p->conv_w, words = p->in_c >> 2;
  int32_t i, ky, kx;
  memset(zp, p->in_zp, (size_t)p->in_c);
  for (i = 0; i < pixels; i += 2) {
    const int32_t j = i + 1 < pixels ? i + 1 : i; /* an odd last pixel pairs with itself */
    const int32_t ya = i / p->conv_w, xa = i % p->conv_w, yb = j / p->conv_w, xb = j % p->conv_w;
    const int8_t *w = p->weights;
    int32_t acc_a = p->bias[0], acc_b = p->bias[0];
    for (ky = 0; ky < p->k_h; ky++) {
      for (kx = 0; kx < p->k_w; kx++) {
        tpk_conv_mac_1x2(tpk_conv_tap(p, in, zp, ya, xa, ky, kx), tpk_conv_tap(p, in, zp, yb, xb, ky, kx), w, words, &acc_a,
                         &acc_b);
        w += 2 * p->in_c;
      }
    }
    tpk_conv_store(p, out + i, 0, acc_a);
    if (j != i) tpk_conv_store(p, out + j, 0, acc_b);
  }
}

/* `scratch`: TP_CONV_2D_M4_SCRATCH(k4, pool_h·pool_w, or 2 without pooling) bytes, 4-byte aligned. */
TP_KERNEL void tp_conv_2d_m4(const tp_conv_2d_m4_params *p, const int8_t *in, int8_t *out, void *scratch) {
  if (p->pool_h == 1 && p->pool_w == 1 && p->out_c == 1 && (p->in_c & 3) == 0) {
    tpk_conv_2d_m4_single(p, in, out, (int8_t *)scratch);
  } else if (p->pool_h == 1 && p->pool_w == 1) {
    tpk_conv_2d_m4_plain(p, in, out, (uint32_t *)scratch);
  } else {
    tpk_conv_2d_m4_pooled(p, in, out, (uint32_t *)scratch);
  }
}

#endif
