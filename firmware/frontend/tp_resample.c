/*
 * Streaming polyphase resampler, int16 → int16 (int64 accumulator).
 *
 * Output n sits at input time n·down/up, rounded to the nearest of `phases`
 * fractional positions; the phase accumulator is exact integer arithmetic
 * (step_whole phases plus a remainder modulo 2·up), so the schedule never
 * drifts. phases = up when up ≤ 256 (an exact rational resampler, e.g.
 * 16000→6000 = 3/8), else 256 phases with the nearest phase (41667→24000 =
 * 8000/13889). Filter: Kaiser-windowed sinc, cutoff at the output Nyquist,
 * passband to 0.9·Nyquist, 70 dB stopband from target − passband edge.
 * Table: phases × taps_per_phase int16 (src/audio/fixed/resampler-design.ts).
 *
 * History is a doubled ring so the newest K samples are contiguous. Output n
 * is computed when its newest input (base + K/2) arrives: K/2 samples latency.
 */
#include "tp_internal.h"

int tp_resample_step(tp_fe_state *s, int16_t x, int16_t *out) {
  const tp_fe_config *c = s->cfg;
  uint32_t K;
  const int16_t *h;
  const int16_t *taps;
  int64_t acc = 0;
  int64_t y;
  uint32_t i;
  uint32_t advance;

  if (c->passthrough) {
    *out = x;
    s->produced++;
    return 1;
  }
  K = c->taps_per_phase;
  s->history[s->hist_pos] = x;
  s->history[s->hist_pos + K] = x;
  s->hist_pos = (s->hist_pos + 1u == K) ? 0u : s->hist_pos + 1u;
  if (--s->need != 0u) return 0;

  h = s->history + s->hist_pos;
  taps = c->taps + s->phase * K;
  /* Unrolled by four: the sum is exact integer arithmetic, so the order is
   * free; this roughly halves the M4's loop overhead per tap. */
  for (i = 0; i + 4u <= K; i += 4u) {
    acc += (int32_t)h[i] * (int32_t)taps[i];
    acc += (int32_t)h[i + 1u] * (int32_t)taps[i + 1u];
    acc += (int32_t)h[i + 2u] * (int32_t)taps[i + 2u];
    acc += (int32_t)h[i + 3u] * (int32_t)taps[i + 3u];
  }
  for (; i < K; i++) acc += (int32_t)h[i] * (int32_t)taps[i];
  y = tp_asr64(acc + ((int64_t)1 << (c->tap_shift - 1u)), c->tap_shift);
  if (y > 32767) y = 32767;
  if (y < -32768) y = -32768;
  *out = (int16_t)y;
  s->produced++;

  s->rem += c->step_rem;
  advance = s->phase + c->step_whole;
  if (s->rem >= c->rem_modulus) {
    s->rem -= c->rem_modulus;
    advance++;
  }
  s->need = advance / c->phases;
  s->phase = advance - s->need * c->phases;
  return 1;
}
