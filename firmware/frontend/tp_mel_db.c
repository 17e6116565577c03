/*
 * Sparse Mel sums and integer log → dB in Q8 (twin: mel-db.ts).
 *
 * M = Σ w·P' is exact in uint64 (< 2^53 by the table generator's power_bits).
 * log2 M = msb (CLZ) + log2(1.f) from a 129-entry Q16 table, linearly
 * interpolated on the next 9 bits (error < 1e-4 dB). The filter's weight
 * scale (−mel_shift) and the frame's block exponent are integers added to the
 * log, and dB = log2 · 10·log10(2) via a Q20 constant, so the result matches
 * 10·log10 of the float Mel power for samples scaled as int16/32768. Floored
 * at −100 dB (power_to_db's amin = 1e-10).
 */
#include "tp_internal.h"

void tp_mel_db(const tp_fe_config *c, const uint32_t *power, int has_power, int32_t frame_exp, int16_t *out) {
  uint32_t m;
  for (m = 0; m < c->n_mels; m++) {
    const uint32_t start = c->mel_start[m];
    const uint32_t len = c->mel_length[m];
    const uint16_t *w = c->mel_weights + c->mel_offset[m];
    uint64_t acc = 0;
    uint32_t j, msb, top, f16, idx, rem;
    int32_t lo, frac, log2q;
    int64_t db;
    if (!has_power) {
      out[m] = (int16_t)c->db_floor_q8;
      continue;
    }
    for (j = 0; j < len; j++) acc += (uint64_t)power[start + j] * w[j];
    if (acc == 0u) {
      out[m] = (int16_t)c->db_floor_q8;
      continue;
    }
    msb = tp_bit_length64(acc) - 1u;
    top = msb >= 16u ? (uint32_t)(acc >> (msb - 16u)) : (uint32_t)acc << (16u - msb);
    f16 = top - 65536u;
    idx = f16 >> 9;
    rem = f16 & 511u;
    lo = c->log2_q16[idx];
    frac = lo + tp_asr32((c->log2_q16[idx + 1u] - lo) * (int32_t)rem + 256, 9);
    log2q = ((int32_t)msb + frame_exp - (int32_t)c->mel_shift[m]) * 65536 + frac;
    db = tp_asr64((int64_t)log2q * c->db_per_log2_q20 + ((int64_t)1 << 27), 28);
    if (db < c->db_floor_q8) db = c->db_floor_q8;
    if (db > 32767) db = 32767;
    out[m] = (int16_t)db;
  }
}
