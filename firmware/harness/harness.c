#include "harness.h"

#include <string.h>

#define TP_CHUNK 1024u

typedef struct {
  FILE *columns;
  FILE *windows;
  uint32_t n_mels;
  uint32_t window_bytes;
  int failed;
} sink_ctx;

static void write_column(void *ctx, const int16_t *db, uint32_t index) {
  sink_ctx *k = (sink_ctx *)ctx;
  uint8_t bytes[2];
  uint32_t m;
  (void)index;
  for (m = 0; m < k->n_mels; m++) {
    const uint16_t v = (uint16_t)db[m];
    bytes[0] = (uint8_t)(v & 0xffu);
    bytes[1] = (uint8_t)(v >> 8);
    if (fwrite(bytes, 1, 2, k->columns) != 2) k->failed = 1;
  }
}

static void write_window(void *ctx, const int8_t *q, uint32_t index) {
  sink_ctx *k = (sink_ctx *)ctx;
  (void)index;
  if (fwrite(q, 1, k->window_bytes, k->windows) != k->window_bytes) k->failed = 1;
}

static int read_i32(FILE *f, int32_t *v) {
  uint8_t b[4];
  if (fread(b, 1, 4, f) != 4) return 0;
  *v = (int32_t)((uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) | ((uint32_t)b[3] << 24));
  return 1;
}

int tp_harness_run(const tp_harness_entry *entries, uint32_t entry_count, void *storage, const char *in_path,
                   const char *columns_path, const char *windows_path, tp_harness_clock clock) {
  static int16_t samples[TP_CHUNK];
  static uint8_t raw[2u * TP_CHUNK];
  int32_t index, flags, count;
  uint32_t left, i;
  uint64_t instructions = 0;
  FILE *in = fopen(in_path, "rb");
  sink_ctx ctx;
  tp_fe_sink sink;
  tp_fe_state *state = (tp_fe_state *)storage;
  int bench;
  memset(&ctx, 0, sizeof ctx);
  if (!in) {
    printf("error: cannot open %s\n", in_path);
    return 1;
  }
  if (!read_i32(in, &index) || !read_i32(in, &flags) || !read_i32(in, &count) || index < 0 ||
      (uint32_t)index >= entry_count || count < 0) {
    printf("error: bad input header\n");
    return 1;
  }
  bench = (flags & 2) != 0;
  entries[index].init(storage);
  ctx.n_mels = entries[index].config->n_mels;
  ctx.window_bytes = entries[index].config->n_mels * entries[index].config->window_frames;
  if (!bench) {
    ctx.columns = fopen(columns_path, "wb");
    ctx.windows = fopen(windows_path, "wb");
    if (!ctx.columns || !ctx.windows) {
      printf("error: cannot open output files\n");
      return 1;
    }
  }
  sink.on_column = bench ? 0 : write_column;
  sink.on_window = bench ? 0 : write_window;
  sink.ctx = &ctx;

  for (left = (uint32_t)count; left > 0;) {
    const uint32_t n = left < TP_CHUNK ? left : TP_CHUNK;
    uint64_t t0, t1;
    if (fread(raw, 1, 2u * n, in) != 2u * n) {
      printf("error: short input\n");
      return 1;
    }
    for (i = 0; i < n; i++) samples[i] = (int16_t)(uint16_t)((uint32_t)raw[2 * i] | ((uint32_t)raw[2 * i + 1] << 8));
    t0 = clock();
    tp_fe_push(state, samples, n, &sink);
    t1 = clock();
    instructions += t1 - t0;
    left -= n;
  }
  if (flags & 1) tp_fe_flush(state, &sink);
  fclose(in);
  if (!bench) {
    fclose(ctx.columns);
    fclose(ctx.windows);
  }
  printf("columns=%lu windows=%lu state_bytes=%lu config_bytes=%lu instructions=%lu failed=%d\n",
         (unsigned long)state->columns, (unsigned long)state->windows, (unsigned long)entries[index].state_bytes,
         (unsigned long)sizeof(tp_fe_config), (unsigned long)instructions, ctx.failed);
  return ctx.failed;
}
