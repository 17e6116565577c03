#include "anomaly_score.h"

#if defined(__GNUC__) && !defined(__clang__)
#define TP_NO_FMA __attribute__((optimize("fp-contract=off")))
#else
#define TP_NO_FMA
#endif

TP_NO_FMA float tp_anomaly_score(const int8_t *input, tp_quant input_q, const int8_t *output, tp_quant output_q, uint32_t count) {
  float sum = 0.0f;
  uint32_t i;
  if (count == 0u) return 0.0f;
  for (i = 0; i < count; i++) {
    const float x = input_q.scale * (float)((int32_t)input[i] - input_q.zero_point);
    const float y = output_q.scale * (float)((int32_t)output[i] - output_q.zero_point);
    const float d = x - y;
    const float sq = d * d;
    sum = sum + sq;
  }
  return sum / (float)count;
}
