/*
 * The front-end's stages in order (twin: front-end.ts). Framing is librosa's
 * center=True in streaming form: the frame ring starts with n_fft/2 zeros (the
 * left pad), so frame t, centred on target sample t·hop, is produced when
 * target sample t·hop + n_fft/2 − 1 arrives. Latency: n_fft/2 target samples
 * plus K/2 PDM samples in the resampler.
 */
#include "tp_internal.h"

#include <string.h>

void tp_fe_init(tp_fe_state *s, const tp_fe_config *cfg, int16_t *history, int16_t *frame, int32_t *fft,
                int16_t *db_ring, int8_t *window_out) {
  memset(s, 0, sizeof *s);
  s->cfg = cfg;
  s->history = history;
  s->frame = frame;
  s->fft = fft;
  s->db_ring = db_ring;
  s->window_out = window_out;
  if (!cfg->passthrough) memset(history, 0, 2u * cfg->taps_per_phase * sizeof *history);
  memset(frame, 0, cfg->n_fft * sizeof *frame);
  memset(db_ring, 0, cfg->window_frames * cfg->n_mels * sizeof *db_ring);
  s->need = cfg->taps_per_phase / 2u + 1u;
  s->rem = cfg->rem_start;
  s->frame_pos = cfg->n_fft / 2u;
  s->until_frame = cfg->n_fft / 2u;
  s->until_window = cfg->window_frames;
}

static void on_target_sample(tp_fe_state *s, int16_t y, const tp_fe_sink *sink) {
  const tp_fe_config *c = s->cfg;
  int16_t *column;
  int32_t frame_exp = 0;
  int has_power;
  s->frame[s->frame_pos] = y;
  s->frame_pos = (s->frame_pos + 1u) & (c->n_fft - 1u);
  if (--s->until_frame != 0u) return;
  s->until_frame = c->hop;

  column = s->db_ring + (s->columns % c->window_frames) * c->n_mels;
  has_power = tp_frame_spectrum(c, s->frame, s->frame_pos, s->fft, &frame_exp);
  tp_mel_db(c, (const uint32_t *)s->fft, has_power, frame_exp, column);
  if (sink && sink->on_column) sink->on_column(sink->ctx, column, s->columns);
  s->columns++;
  if (--s->until_window != 0u) return;
  s->until_window = c->window_hop;
  tp_quantize_window(c, s->db_ring, s->columns % c->window_frames, s->window_out);
  if (sink && sink->on_window) sink->on_window(sink->ctx, s->window_out, s->windows);
  s->windows++;
}

void tp_fe_push(tp_fe_state *s, const int16_t *pcm, uint32_t count, const tp_fe_sink *sink) {
  uint32_t i;
  for (i = 0; i < count; i++) {
    int16_t y;
    s->total_in++;
    if (tp_resample_step(s, pcm[i], &y)) on_target_sample(s, y, sink);
  }
}

void tp_fe_flush(tp_fe_state *s, const tp_fe_sink *sink) {
  const tp_fe_config *c = s->cfg;
  uint32_t i;
  int16_t y;
  while ((uint64_t)s->produced * c->down < (uint64_t)s->total_in * c->up)
    if (tp_resample_step(s, 0, &y)) on_target_sample(s, y, sink);
  for (i = 0; i < c->n_fft / 2u; i++) on_target_sample(s, 0, sink);
}
