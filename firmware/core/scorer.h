/* The run's scoring as one window-scorer callback for the detector
 * (tp_detector_set_scorer): the window score (the MSE of anomaly_score.c, or
 * the Mahalanobis-style score of window_score.c when `params` is set), then,
 * when `pool` is set, the clip score of clip_score.c over the last windows.
 * So the detector thresholds the same score that eval reports. */
#ifndef TINYPDM_SCORER_H
#define TINYPDM_SCORER_H

#include <stdint.h>

#include "anomaly_score.h"
#include "clip_score.h"
#include "window_score.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tp_run_scorer {
  const tp_window_score_params *params; /* NULL: window MSE */
  float *work;                          /* params->count floats */
  tp_clip_pool *pool;                   /* NULL: no pooling, the window score */
} tp_run_scorer;

/* Matches tp_window_scorer_fn (detector.h); ctx is a tp_run_scorer. */
float tp_run_score(void *ctx, const int8_t *input, tp_quant input_q, const int8_t *output, tp_quant output_q,
                   uint32_t count);

#ifdef __cplusplus
}
#endif

#endif
