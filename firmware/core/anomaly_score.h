/* Anomaly score of one model window: the mean squared error between the
 * dequantised model input and the dequantised reconstruction, in float32.
 *
 * The accumulation order is fixed (element 0 first) and fused multiply-add is
 * disabled, so the result is bit-identical to the TypeScript twin
 * (src/device/anomaly-score.ts), which rounds every step to float32. */
#ifndef TINYPDM_ANOMALY_SCORE_H
#define TINYPDM_ANOMALY_SCORE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  float scale;
  int32_t zero_point;
} tp_quant;

float tp_anomaly_score(const int8_t *input, tp_quant input_q, const int8_t *output, tp_quant output_q, uint32_t count);

#ifdef __cplusplus
}
#endif

#endif
