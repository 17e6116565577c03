/* Window scores beyond the plain reconstruction MSE (anomaly_score.c): a
 * Mahalanobis-style distance of the reconstruction error, in the diagonal or
 * low-rank form that fits a microcontroller.
 *
 * With x and y the dequantised model input and reconstruction of one window
 * (count values) and e = x − y, the score is
 *
 *   d_i   = (e_i − mean_i) · inv_std_i
 *   score = ( inv_resid · Σ_i d_i²  +  Σ_k coef_k · (Σ_i basis_k,i · d_i)² ) / count
 *
 * rank 0 with inv_resid 1 is the diagonal Mahalanobis distance (each error
 * standardised by its training mean and spread). With rank k it is a rank-k
 * correction of that towards the full precision matrix of the standardised
 * errors: basis holds k of its eigenvectors (orthonormal rows; those whose
 * variance λ_k departs most from the rest, from the top and the bottom of the
 * spectrum), coef_k = 1/λ_k − 1/σ², inv_resid = 1/σ² with σ² the mean of the
 * other eigenvalues. This is the DCASE 2023 Task 2
 * baseline's Mahalanobis score of the reconstruction error (which uses the
 * full covariance) in O(count·k) memory and time instead of O(count²).
 *
 * Every step is float32 in a fixed order with fused multiply-add disabled, so
 * the score is bit-identical to the TypeScript twin (src/device/window-score.ts). */
#ifndef TINYPDM_WINDOW_SCORE_H
#define TINYPDM_WINDOW_SCORE_H

#include <stdint.h>

#include "anomaly_score.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tp_window_score_params {
  uint32_t count;        /* values per window (model input size) */
  uint32_t rank;         /* 0: diagonal */
  const float *mean;     /* count */
  const float *inv_std;  /* count */
  const float *basis;    /* rank × count, row k at k·count */
  const float *coef;     /* rank */
  float inv_resid;
} tp_window_score_params;

/* `work` holds count floats (the standardised errors). */
float tp_window_score(const tp_window_score_params *p, const int8_t *input, tp_quant input_q, const int8_t *output,
                      tp_quant output_q, float *work);

#ifdef __cplusplus
}
#endif

#endif
