/* Internal to the front-end: the stages tp_frontend.c chains. */
#ifndef TP_INTERNAL_H
#define TP_INTERNAL_H

#include "tp_frontend.h"

/* floor(x / 2^s) without relying on the implementation-defined >> of a
 * negative value; compilers turn it into one arithmetic shift. */
static inline int64_t tp_asr64(int64_t x, unsigned s) {
  return x < 0 ? ~(int64_t)((uint64_t)~x >> s) : (int64_t)((uint64_t)x >> s);
}
static inline int32_t tp_asr32(int32_t x, unsigned s) {
  return x < 0 ? ~(int32_t)((uint32_t)~x >> s) : (int32_t)((uint32_t)x >> s);
}

/* Number of bits of v (0 for 0). */
static inline uint32_t tp_bit_length32(uint32_t v) {
  uint32_t n = 0;
#if defined(__GNUC__)
  if (v != 0u) n = 32u - (uint32_t)__builtin_clz(v);
#else
  while (v != 0u) { n++; v >>= 1; }
#endif
  return n;
}
static inline uint32_t tp_bit_length64(uint64_t v) {
  uint32_t hi = (uint32_t)(v >> 32);
  return hi != 0u ? 32u + tp_bit_length32(hi) : tp_bit_length32((uint32_t)v);
}

/* tp_resample.c: one input sample; returns 1 and sets *out when an output is due. */
int tp_resample_step(tp_fe_state *s, int16_t x, int16_t *out);

/* tp_spectrum.c: frame → power P' in s->fft (as uint32, bins 0..n/2). Returns 0
 * for an all-zero frame, else 1 with *frame_exp set (power ≈ P'·2^frame_exp). */
int tp_frame_spectrum(const tp_fe_config *c, const int16_t *frame, uint32_t start, int32_t *work, int32_t *frame_exp);

/* tp_mel_db.c: power → n_mels dB (Q8). */
void tp_mel_db(const tp_fe_config *c, const uint32_t *power, int has_power, int32_t frame_exp, int16_t *out);

/* tp_window.c: ring of W columns → int8 model input. */
void tp_quantize_window(const tp_fe_config *c, const int16_t *ring, uint32_t oldest_slot, int8_t *out);

#endif
