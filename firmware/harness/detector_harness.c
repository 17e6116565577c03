#include "detector_harness.h"

#include <stdio.h>
#include <string.h>

#include "tinypdm_config.h"
#include "tinypdm_fe_tables.h"

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

static const int8_t *recorded_invoke(void *ctx, const int8_t *input, uint32_t count) {
  recorded_model *m = (recorded_model *)ctx;
  (void)input;
  if (count != TP_INPUT_COUNT || m->windows_left == 0u) return NULL;
  if (fread(m->output, 1, TP_INPUT_COUNT, m->in) != TP_INPUT_COUNT) return NULL;
  m->windows_left--;
  return m->output;
}

static void print_result(void *ctx, const tp_detector_result *r) {
  uint32_t bits;
  (void)ctx;
  memcpy(&bits, &r->score, sizeof bits);
  printf("window=%lu score=%08lx anomaly=%d failed=%d\n", (unsigned long)r->window, (unsigned long)bits, r->anomaly,
         r->model_failed);
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
  iface.invoke = recorded_invoke;
  iface.ctx = &model;
  tinypdm_fe_init(&fe_state);
  tp_detector_init(&det, &cfg, &fe_state.core, iface, print_result, NULL, clock);

  for (left = (uint32_t)sample_count; left > 0;) {
    const uint32_t n = left < TP_HARNESS_PDM_SAMPLES ? left : TP_HARNESS_PDM_SAMPLES;
    if (fread(raw, 1, 2u * n, in) != 2u * n) {
      printf("error: short input\n");
      return 1;
    }
    for (i = 0; i < n; i++) pdm_chunk[i] = (int16_t)(uint16_t)((uint32_t)raw[2 * i] | ((uint32_t)raw[2 * i + 1] << 8));
    tp_ring_write(&ring, pdm_chunk, n);
    left -= n;
    if (++writes % TP_HARNESS_WRITES_PER_DRAIN == 0u || left == 0u) {
      tp_detector_drain(&det, &ring, drain_scratch, TP_DRAIN_CHUNK);
    }
  }
  fclose(in);
  fclose(model.in);
  printf("windows=%lu anomalies=%lu dropped=%lu unused_outputs=%lu\n", (unsigned long)det.windows,
         (unsigned long)det.anomalies, (unsigned long)ring.dropped, (unsigned long)model.windows_left);
  return 0;
}
