/*
 * A completed model window → int8 model input [n_mels, W, 1] (twin:
 * window-quant.ts). Window-scoped top_db clamp, as power_to_db clamps over
 * the array it is given (training clamps per window the same way), then the
 * model's input normalisation and int8 quantisation folded into one integer
 * affine step: q = clamp(((mult·dB_Q8 + add) >> shift) + zp, −128, 127),
 * with band m's own mult and add under per-band normalisation.
 */
#include "tp_internal.h"

void tp_quantize_window(const tp_fe_config *c, const int16_t *ring, uint32_t oldest_slot, int8_t *out) {
  const uint32_t n_mels = c->n_mels;
  const uint32_t W = c->window_frames;
  int32_t max = -32768, floor_db;
  uint32_t i, f, m, slot = oldest_slot;
  for (i = 0; i < W * n_mels; i++)
    if (ring[i] > max) max = ring[i];
  floor_db = c->top_db_q8 < 0 ? -32768 : max - c->top_db_q8;
  for (f = 0; f < W; f++) {
    const int16_t *col = ring + slot * n_mels;
    for (m = 0; m < n_mels; m++) {
      int32_t d = col[m];
      const int32_t mult = c->band_mult ? c->band_mult[m] : c->affine_mult;
      const int64_t add = c->band_add ? c->band_add[m] : c->affine_add;
      int64_t q;
      if (d < floor_db) d = floor_db;
      q = tp_asr64((int64_t)mult * d + add, (unsigned)c->affine_shift) + c->zero_point;
      if (q < -128) q = -128;
      if (q > 127) q = 127;
      out[m * W + f] = (int8_t)q;
    }
    slot = slot + 1u == W ? 0u : slot + 1u;
  }
}
