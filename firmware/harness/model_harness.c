#include "model_harness.h"

#include <stdio.h>
#include <stdlib.h>

#define TP_MAX_STEPS 256u
#define TP_MAX_BYTES 65536u

static tp_model_clock active_clock;
static uint64_t step_end[TP_MAX_STEPS];

void tp_model_step_done(uint32_t step) {
  if (active_clock && step < TP_MAX_STEPS) step_end[step] = active_clock();
}

static uint8_t in_buf[TP_MAX_BYTES];
static uint8_t out_buf[TP_MAX_BYTES];

int tp_model_harness_run(const tp_model_entry *models, uint32_t count, tp_model_clock clock) {
  uint32_t m;
  active_clock = clock;
  for (m = 0; m < count; m++) {
    const tp_model_entry *e = &models[m];
    char name[40];
    FILE *in, *out;
    uint32_t runs = 0, s;
    uint64_t total = 0, start = 0;
    if (e->in_bytes > TP_MAX_BYTES || e->out_bytes > TP_MAX_BYTES || e->steps > TP_MAX_STEPS) {
      printf("error: model %lu is larger than the harness buffers\n", (unsigned long)m);
      return 1;
    }
    snprintf(name, sizeof name, "model_in_%lu.bin", (unsigned long)m);
    in = fopen(name, "rb");
    if (!in) continue; /* no inputs for this model in this run */
    snprintf(name, sizeof name, "model_out_%lu.bin", (unsigned long)m);
    out = fopen(name, "wb");
    if (!out) {
      printf("error: cannot write %s\n", name);
      return 1;
    }
    while (fread(in_buf, 1, e->in_bytes, in) == e->in_bytes) {
      uint64_t t0 = clock ? clock() : 0u;
      start = t0;
      e->run(in_buf, out_buf);
      if (clock) total += clock() - t0;
      if (fwrite(out_buf, 1, e->out_bytes, out) != e->out_bytes) {
        printf("error: short write\n");
        return 1;
      }
      runs++;
    }
    fclose(in);
    fclose(out);
    printf("model=%lu runs=%lu instructions=%lu steps=%lu step_instructions=", (unsigned long)m, (unsigned long)runs,
           (unsigned long)total, (unsigned long)e->steps);
    for (s = 0; s < e->steps; s++) {
      const uint64_t prev = s == 0 ? start : step_end[s - 1];
      printf("%s%lu", s == 0 ? "" : ",", (unsigned long)(clock ? step_end[s] - prev : 0u));
    }
    printf("\n");
  }
  return 0;
}
