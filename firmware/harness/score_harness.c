#include "score_harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clip_score.h"
#include "window_score.h"

#define TP_SCORE_MAX_COUNT 4096u
#define TP_SCORE_MAX_RANK 16u
#define TP_SCORE_MAX_CAPACITY 1024u

static float mean[TP_SCORE_MAX_COUNT], inv_std[TP_SCORE_MAX_COUNT], work[TP_SCORE_MAX_COUNT];
static float basis[TP_SCORE_MAX_RANK * TP_SCORE_MAX_COUNT], coef[TP_SCORE_MAX_RANK];
static float pool_scores[TP_SCORE_MAX_CAPACITY], pool_sorted[TP_SCORE_MAX_CAPACITY];
static int8_t input[TP_SCORE_MAX_COUNT], output[TP_SCORE_MAX_COUNT];

static int read_u32(FILE *f, uint32_t *v) {
  uint8_t b[4];
  if (fread(b, 1, 4, f) != 4) return 0;
  *v = (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) | ((uint32_t)b[3] << 24);
  return 1;
}

static int read_f32(FILE *f, float *v) {
  uint32_t bits;
  if (!read_u32(f, &bits)) return 0;
  memcpy(v, &bits, sizeof bits);
  return 1;
}

static int read_floats(FILE *f, float *v, uint32_t n) {
  uint32_t i;
  for (i = 0; i < n; i++)
    if (!read_f32(f, &v[i])) return 0;
  return 1;
}

static uint32_t bits_of(float x) {
  uint32_t b;
  memcpy(&b, &x, sizeof b);
  return b;
}

int tp_score_harness_run(const char *in_path) {
  FILE *in = fopen(in_path, "rb");
  uint32_t count, rank, windows, method, permille, capacity, zp_in, zp_out, w;
  tp_quant in_q, out_q;
  tp_window_score_params params;
  tp_clip_pool pool;
  if (!in) {
    printf("cannot open %s\n", in_path);
    return 1;
  }
  if (!read_u32(in, &count) || !read_u32(in, &rank) || !read_u32(in, &windows) || !read_u32(in, &method) ||
      !read_u32(in, &permille) || !read_u32(in, &capacity) || !read_f32(in, &in_q.scale) || !read_u32(in, &zp_in) ||
      !read_f32(in, &out_q.scale) || !read_u32(in, &zp_out) || count > TP_SCORE_MAX_COUNT ||
      rank > TP_SCORE_MAX_RANK || capacity > TP_SCORE_MAX_CAPACITY) {
    printf("bad header\n");
    return 1;
  }
  in_q.zero_point = (int32_t)zp_in;
  out_q.zero_point = (int32_t)zp_out;
  if (!read_floats(in, mean, count) || !read_floats(in, inv_std, count) || !read_floats(in, basis, rank * count) ||
      !read_floats(in, coef, rank) || !read_f32(in, &params.inv_resid)) {
    printf("bad parameters\n");
    return 1;
  }
  params.count = count;
  params.rank = rank;
  params.mean = mean;
  params.inv_std = inv_std;
  params.basis = basis;
  params.coef = coef;
  tp_clip_pool_init(&pool, method, permille, capacity, pool_scores, pool_sorted);
  for (w = 0; w < windows; w++) {
    float mse, score, pooled;
    if (fread(input, 1, count, in) != count || fread(output, 1, count, in) != count) {
      printf("short window %lu\n", (unsigned long)w);
      return 1;
    }
    mse = tp_anomaly_score(input, in_q, output, out_q, count);
    score = tp_window_score(&params, input, in_q, output, out_q, work);
    pooled = tp_clip_pool_push(&pool, score);
    printf("window=%lu mse=%08lx score=%08lx pooled=%08lx\n", (unsigned long)w, (unsigned long)bits_of(mse),
           (unsigned long)bits_of(score), (unsigned long)bits_of(pooled));
  }
  fclose(in);
  printf("windows=%lu\n", (unsigned long)windows);
  return 0;
}
