/*
 * Test harness for a sketch whose run has a `scoring` (firmware/core/scorer.c):
 * the portable detector streams the samples through the front-end and serves
 * the model calls from recorded int8 outputs, like detector_harness.c, but
 * scores windows with the sketch's generated tinypdm_score.h
 * (tp_detector_set_scorer, as the sketch's setup() does). Host and Cortex-M4
 * (QEMU) builds: TP_SCORED_HARNESS_M4 selects the semihosting main.
 *
 * Input file (little-endian): int32 sample count, int32 window count, the
 * int16 samples at the PDM rate, then window count × TP_INPUT_COUNT int8
 * outputs. Output: one line per window with the score's float32 bits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detector.h"
#include "tinypdm_config.h"
#include "tinypdm_fe_tables.h"
#include "tinypdm_score.h"

#define PDM_SAMPLES (TP_PDM_BUFFER_BYTES / 2u)

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
static int16_t pdm_chunk[PDM_SAMPLES];
static uint8_t raw[2u * PDM_SAMPLES];

static int run(const char *in_path) {
  static const tp_detector_config cfg = {
      {TP_INPUT_SCALE, TP_INPUT_ZERO_POINT}, {TP_OUTPUT_SCALE, TP_OUTPUT_ZERO_POINT}, TP_THRESHOLD, TP_INPUT_COUNT};
  recorded_model model;
  tp_model_iface iface;
  tp_detector det;
  int32_t sample_count, window_count;
  uint32_t left, i;
  FILE *in = fopen(in_path, "rb");
  if (!in || !read_i32(in, &sample_count) || !read_i32(in, &window_count) || sample_count < 0 || window_count < 0) {
    printf("error: bad input\n");
    return 1;
  }
  model.in = fopen(in_path, "rb");
  if (!model.in || fseek(model.in, 8L + 2L * (long)sample_count, SEEK_SET) != 0) {
    printf("error: cannot seek to the model outputs\n");
    return 1;
  }
  model.windows_left = (uint32_t)window_count;
  iface.invoke = recorded_invoke;
  iface.ctx = &model;
  tinypdm_fe_init(&fe_state);
  tp_detector_init(&det, &cfg, &fe_state.core, iface, print_result, NULL, NULL);
  tp_detector_set_scorer(&det, tp_run_score, &tp_scorer);
  for (left = (uint32_t)sample_count; left > 0;) {
    const uint32_t n = left < PDM_SAMPLES ? left : PDM_SAMPLES;
    if (fread(raw, 1, 2u * n, in) != 2u * n) {
      printf("error: short input\n");
      return 1;
    }
    for (i = 0; i < n; i++) pdm_chunk[i] = (int16_t)(uint16_t)((uint32_t)raw[2 * i] | ((uint32_t)raw[2 * i + 1] << 8));
    tp_detector_push(&det, pdm_chunk, n);
    left -= n;
  }
  fclose(in);
  fclose(model.in);
  printf("windows=%lu anomalies=%lu unused_outputs=%lu\n", (unsigned long)det.windows, (unsigned long)det.anomalies,
         (unsigned long)model.windows_left);
  return 0;
}

#ifdef TP_SCORED_HARNESS_M4
void SysTick_Handler(void) {}
extern void initialise_monitor_handles(void);
int main(void) {
  initialise_monitor_handles();
  exit(run("det_in.bin"));
}
#else
int main(int argc, char **argv) {
  if (argc != 2) {
    printf("usage: scored_detector_harness <input>\n");
    return 2;
  }
  return run(argv[1]);
}
#endif
