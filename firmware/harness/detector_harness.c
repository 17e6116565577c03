#include "detector_harness.h"

#include <stdio.h>
#include <string.h>

#include "tinypdm_config.h"
#include "tinypdm_fe_tables.h"
#include "tp_internal.h"
#ifdef TP_HARNESS_C_MODEL
#include "tinypdm_model.h"
#endif

/* Samples per simulated PDM callback, and callbacks between two drains: the
 * ring must hold them all, like the sketch's ring holds samples arriving
 * during an inference. */
#define TP_HARNESS_PDM_SAMPLES (TP_PDM_BUFFER_BYTES / 2u)
#define TP_HARNESS_WRITES_PER_DRAIN 3u
TP_STATIC_ASSERT(TP_HARNESS_WRITES_PER_DRAIN * TP_HARNESS_PDM_SAMPLES <= TP_RING_CAPACITY, harness_ring_fits);

typedef struct {
  FILE *in;
  uint32_t windows_left;
  int8_t output[TP_INPUT_COUNT];
} recorded_model;

#ifndef TP_HARNESS_C_MODEL
static const int8_t *recorded_invoke(void *ctx, const int8_t *input, uint32_t count) {
  recorded_model *m = (recorded_model *)ctx;
  (void)input;
  if (count != TP_INPUT_COUNT || m->windows_left == 0u) return NULL;
  if (fread(m->output, 1, TP_INPUT_COUNT, m->in) != TP_INPUT_COUNT) return NULL;
  m->windows_left--;
  return m->output;
}
#endif

/* The whole window path's stages, in clock units (instructions on the M4). */
typedef struct {
  tp_detector_clock clock;
  uint64_t frontend, model, score, reporting;
} stage_totals;

static stage_totals totals;

#ifdef TP_HARNESS_C_MODEL
/* The model compiled to C, as the C-runtime sketch runs it. */
typedef struct {
  const int8_t *input;
  int8_t output[TINYPDM_MODEL_OUTPUT_COUNT];
} c_model;

static const int8_t *c_model_invoke(void *ctx, const int8_t *input, uint32_t count) {
  c_model *m = (c_model *)ctx;
  if (count != TINYPDM_MODEL_INPUT_COUNT) return NULL;
  tinypdm_model_invoke(input, m->output);
  m->input = input;
  return m->output;
}

static c_model compiled_model;
#endif

static void print_result(void *ctx, const tp_detector_result *r) {
  const uint32_t entered = totals.clock ? totals.clock() : 0u;
  uint32_t bits;
  (void)ctx;
  memcpy(&bits, &r->score, sizeof bits);
  printf("window=%lu score=%08lx anomaly=%d failed=%d\n", (unsigned long)r->window, (unsigned long)bits, r->anomaly,
         r->model_failed);
  totals.frontend += r->frontend_us;
  totals.model += r->inference_us;
#ifdef TP_HARNESS_C_MODEL
  if (totals.clock && !r->model_failed) {
    /* The score again, timed alone: the detector computed it between the model call and this report. */
    static const tp_quant in_q = {TP_INPUT_SCALE, TP_INPUT_ZERO_POINT}, out_q = {TP_OUTPUT_SCALE, TP_OUTPUT_ZERO_POINT};
    const uint32_t t0 = totals.clock();
    const float again = tp_anomaly_score(compiled_model.input, in_q, compiled_model.output, out_q, TP_INPUT_COUNT);
    const uint32_t t1 = totals.clock();
    totals.score += t1 - t0;
    if (again != r->score) printf("error: the score differs when recomputed\n");
  }
  printf("stages window=%lu frontend=%lu model=%lu\n", (unsigned long)r->window, (unsigned long)r->frontend_us,
         (unsigned long)r->inference_us);
#endif
  /* This report (printing, the timed re-score) is the harness's work, not the firmware's. */
  if (totals.clock) totals.reporting += totals.clock() - entered;
}

/* Resampling alone, on a second front-end state fed the same stream: the
 * resampler's state does not depend on what follows it, so this is the
 * resampling share of the front-end's time. */
static tinypdm_fe_state_t resample_only;

static uint32_t time_resampling(const int16_t *pcm, uint32_t n) {
  int16_t y;
  uint32_t i, t0;
  if (!totals.clock) return 0u;
  t0 = totals.clock();
  for (i = 0; i < n; i++) (void)tp_resample_step(&resample_only.core, pcm[i], &y);
  return totals.clock() - t0;
}

static int read_i32(FILE *f, int32_t *v) {
  uint8_t b[4];
  if (fread(b, 1, 4, f) != 4) return 0;
  *v = (int32_t)((uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) | ((uint32_t)b[3] << 24));
  return 1;
}

static tinypdm_fe_state_t fe_state;
static int16_t ring_storage[TP_RING_CAPACITY];
static int16_t pdm_chunk[TP_HARNESS_PDM_SAMPLES];
static int16_t drain_scratch[TP_DRAIN_CHUNK];
static uint8_t raw[2u * TP_HARNESS_PDM_SAMPLES];

int tp_detector_harness_run(const char *in_path, tp_detector_clock clock) {
  static const tp_detector_config cfg = {
      {TP_INPUT_SCALE, TP_INPUT_ZERO_POINT}, {TP_OUTPUT_SCALE, TP_OUTPUT_ZERO_POINT}, TP_THRESHOLD, TP_INPUT_COUNT};
  recorded_model model;
  tp_model_iface iface;
  tp_detector det;
  tp_ring_i16 ring;
  int32_t sample_count, window_count;
  uint32_t left, i, writes = 0u;
  uint64_t busy = 0u, resampling = 0u;
  FILE *in = fopen(in_path, "rb");
  if (!in) {
    printf("error: cannot open %s\n", in_path);
    return 1;
  }
  if (!read_i32(in, &sample_count) || !read_i32(in, &window_count) || sample_count < 0 || window_count < 0) {
    printf("error: bad input header\n");
    return 1;
  }
  if (tp_ring_init(&ring, ring_storage, TP_RING_CAPACITY) != 0) {
    printf("error: ring capacity\n");
    return 1;
  }
  /* The model outputs follow the samples: a second handle reads them. */
  model.in = fopen(in_path, "rb");
  if (!model.in || fseek(model.in, 8L + 2L * (long)sample_count, SEEK_SET) != 0) {
    printf("error: cannot seek to the model outputs\n");
    return 1;
  }
  model.windows_left = (uint32_t)window_count;
#ifdef TP_HARNESS_C_MODEL
  iface.invoke = c_model_invoke;
  iface.ctx = &compiled_model;
#else
  iface.invoke = recorded_invoke;
  iface.ctx = &model;
#endif
  memset(&totals, 0, sizeof totals);
  totals.clock = clock;
  tinypdm_fe_init(&fe_state);
  tinypdm_fe_init(&resample_only);
  tp_detector_init(&det, &cfg, &fe_state.core, iface, print_result, NULL, clock);

  for (left = (uint32_t)sample_count; left > 0;) {
    const uint32_t n = left < TP_HARNESS_PDM_SAMPLES ? left : TP_HARNESS_PDM_SAMPLES;
    if (fread(raw, 1, 2u * n, in) != 2u * n) {
      printf("error: short input\n");
      return 1;
    }
    for (i = 0; i < n; i++) pdm_chunk[i] = (int16_t)(uint16_t)((uint32_t)raw[2 * i] | ((uint32_t)raw[2 * i + 1] << 8));
    {
      /* Only the firmware's own work is timed: ring writes (the PDM callback's) and drains. */
      const uint32_t t0 = clock ? clock() : 0u;
      tp_ring_write(&ring, pdm_chunk, n);
      left -= n;
      if (++writes % TP_HARNESS_WRITES_PER_DRAIN == 0u || left == 0u) {
        tp_detector_drain(&det, &ring, drain_scratch, TP_DRAIN_CHUNK);
      }
      busy += clock ? (uint32_t)(clock() - t0) : 0u;
    }
    resampling += time_resampling(pdm_chunk, n);
  }
  fclose(in);
  fclose(model.in);
  printf("windows=%lu anomalies=%lu dropped=%lu unused_outputs=%lu\n", (unsigned long)det.windows,
         (unsigned long)det.anomalies, (unsigned long)ring.dropped, (unsigned long)model.windows_left);
  printf("instructions samples=%lu total=%lu frontend=%lu resampling=%lu model=%lu score=%lu\n", (unsigned long)sample_count,
         (unsigned long)(busy - totals.reporting), (unsigned long)totals.frontend, (unsigned long)resampling, (unsigned long)totals.model,
         (unsigned long)totals.score);
  return 0;
}
