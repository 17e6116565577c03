#include "window_score.h"

#if defined(__GNUC__) && !defined(__clang__)
#define TP_NO_FMA __attribute__((optimize("fp-contract=off")))
#else
#define TP_NO_FMA
#endif

TP_NO_FMA float tp_window_score(const tp_window_score_params *p, const int8_t *input, tp_quant input_q,
                                const int8_t *output, tp_quant output_q, float *work) {
  const uint32_t n = p->count;
  float sum = 0.0f, total;
  uint32_t i, k;
  if (n == 0u) return 0.0f;
  for (i = 0; i < n; i++) {
    const float x = input_q.scale * (float)((int32_t)input[i] - input_q.zero_point);
    const float y = output_q.scale * (float)((int32_t)output[i] - output_q.zero_point);
    const float e = x - y;
    const float d = (e - p->mean[i]) * p->inv_std[i];
    const float sq = d * d;
    work[i] = d;
    sum = sum + sq;
  }
  total = p->inv_resid * sum;
  for (k = 0; k < p->rank; k++) {
    const float *row = p->basis + k * n;
    float dot = 0.0f, proj;
    for (i = 0; i < n; i++) {
      const float t = row[i] * work[i];
      dot = dot + t;
    }
    proj = dot * dot;
    proj = p->coef[k] * proj;
    total = total + proj;
  }
  return total / (float)n;
}
