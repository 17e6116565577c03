/*
 * tinypdm fixed-point Mel front-end (C99, no malloc, no floating point).
 *
 * int16 PCM at the PDM rate → polyphase resampler → framing (librosa
 * center=True, streaming) → Q15 periodic Hann → block-floating-point real FFT
 * → power → sparse Mel → integer log → dB (Q8) columns → ring of W columns →
 * per-window top_db clamp + folded affine/int8 quantisation → model input
 * [n_mels, W, 1].
 *
 * The TypeScript twin (src/audio/fixed/) is the specification: every output
 * here is bit-identical to it. Tables come from a generated header
 * (templates/frontend_tables.h.hbs); nothing here is global, so several
 * configurations can live in one program.
 */
#ifndef TP_FRONTEND_H
#define TP_FRONTEND_H

#include <stdint.h>

typedef struct tp_fe_config {
  /* Resampler (see tp_resample.c): target/pdm = up/down. */
  uint32_t pdm_rate;
  uint32_t target_rate;
  uint32_t passthrough;    /* 1 when target == pdm: no filter */
  uint32_t up;
  uint32_t down;
  uint32_t phases;
  uint32_t taps_per_phase; /* even */
  uint32_t tap_shift;      /* taps are Q(tap_shift) */
  uint32_t step_whole;     /* phase accumulator: phases advanced per output... */
  uint32_t step_rem;       /* ...plus this remainder... */
  uint32_t rem_start;
  uint32_t rem_modulus;    /* ...modulo 2·up */
  const int16_t *taps;     /* phases × taps_per_phase, oldest sample first */
  /* Framing and FFT. */
  uint32_t n_fft;
  uint32_t log2_n_fft;
  uint32_t hop;
  uint32_t frame_headroom_bits;
  const int16_t *hann_q15;    /* n_fft */
  const int16_t *twiddle_q15; /* n_fft/2 pairs (cos, sin)(2πk/n_fft) */
  /* Power and Mel. */
  uint32_t power_bits;
  uint32_t n_mels;
  const uint16_t *mel_start;
  const uint16_t *mel_length;
  const uint16_t *mel_offset;
  const uint16_t *mel_weights; /* filter m: Q(mel_shift[m]) */
  const uint8_t *mel_shift;
  const int32_t *log2_q16;     /* 129 entries: log2(1 + i/128) */
  int32_t db_per_log2_q20;
  int32_t db_floor_q8;
  /* Model window. */
  uint32_t window_frames;
  uint32_t window_hop;
  int32_t top_db_q8;           /* < 0: no clamp */
  int32_t affine_mult;
  int32_t affine_shift;
  int32_t zero_point;
  int64_t affine_add;          /* includes the rounding half */
  /* Per-band normalisation: band m uses band_mult[m], band_add[m] (same
   * shift) instead of affine_mult, affine_add; NULL for one affine. */
  const int32_t *band_mult;
  const int64_t *band_add;
} tp_fe_config;

typedef struct tp_fe_sink {
  /* A dB column (Q8), n_mels values; valid during the call only. */
  void (*on_column)(void *ctx, const int16_t *db_q8, uint32_t column_index);
  /* A model input, element (mel m, frame f) at m·W + f; valid during the call only. */
  void (*on_window)(void *ctx, const int8_t *input, uint32_t window_index);
  void *ctx;
} tp_fe_sink;

/* All mutable state. Buffers are caller-provided (see the generated
 * <name>_state_t, which bundles this struct with correctly sized arrays). */
typedef struct tp_fe_state {
  const tp_fe_config *cfg;
  int16_t *history;   /* 2 · taps_per_phase (doubled ring) */
  int16_t *frame;     /* n_fft (ring, power-of-two mask) */
  int32_t *fft;       /* n_fft: FFT work, then power in place (uint32) */
  int16_t *db_ring;   /* window_frames · n_mels */
  int8_t *window_out; /* n_mels · window_frames */
  uint32_t hist_pos;
  uint32_t need;      /* input samples until the next resampler output */
  uint32_t phase;
  uint32_t rem;
  uint32_t produced;  /* resampler outputs so far (for flush) */
  uint32_t total_in;  /* input samples so far (for flush) */
  uint32_t frame_pos;
  uint32_t until_frame;
  uint32_t columns;
  uint32_t windows;
  uint32_t until_window;
} tp_fe_state;

void tp_fe_init(tp_fe_state *s, const tp_fe_config *cfg, int16_t *history, int16_t *frame, int32_t *fft,
                int16_t *db_ring, int8_t *window_out);

/* Streams `count` PDM-rate samples; calls the sink for each column and window produced. */
void tp_fe_push(tp_fe_state *s, const int16_t *pcm, uint32_t count, const tp_fe_sink *sink);

/* End of a clip: zeros finish the resampler's ceil(len·up/down) outputs and the
 * n_fft/2 right pad, so a clip gives 1 + len_target/hop columns like librosa. */
void tp_fe_flush(tp_fe_state *s, const tp_fe_sink *sink);

#endif
