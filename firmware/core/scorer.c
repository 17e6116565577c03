#include "scorer.h"

#include <stddef.h>

float tp_run_score(void *ctx, const int8_t *input, tp_quant input_q, const int8_t *output, tp_quant output_q,
                   uint32_t count) {
  const tp_run_scorer *s = (const tp_run_scorer *)ctx;
  float score = s->params != NULL ? tp_window_score(s->params, input, input_q, output, output_q, s->work)
                                  : tp_anomaly_score(input, input_q, output, output_q, count);
  return s->pool != NULL ? tp_clip_pool_push(s->pool, score) : score;
}
