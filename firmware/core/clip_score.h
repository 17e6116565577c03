/* Clip score on the device: the window scores of the last `capacity` windows
 * (a clip's worth, as eval scores whole clips) pooled into one number by their
 * mean, their maximum or a percentile.
 *
 * mean: float32 sum from the oldest window to the newest, then / n.
 * max: the largest. percentile p (in per mille, 1..1000): the nearest-rank
 * value, i.e. the ceil(p·n/1000)-th smallest (p = 1000 is the max, p = 500
 * the lower median). Until `capacity` windows have arrived, n is the number
 * seen so far. The TypeScript twin (src/device/clip-score.ts) gives
 * bit-identical results; eval pools a clip's windows with it. */
#ifndef TINYPDM_CLIP_SCORE_H
#define TINYPDM_CLIP_SCORE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { TP_POOL_MEAN = 0, TP_POOL_MAX = 1, TP_POOL_PERCENTILE = 2 };

typedef struct tp_clip_pool {
  uint32_t method;     /* TP_POOL_* */
  uint32_t permille;   /* percentile, 1..1000 (TP_POOL_PERCENTILE only) */
  uint32_t capacity;   /* windows per clip */
  float *scores;       /* capacity: ring of the latest window scores */
  float *sorted;       /* capacity: scratch for the percentile (may be NULL otherwise) */
  uint32_t count;      /* windows held, ≤ capacity */
  uint32_t next;       /* ring slot the next score goes to */
} tp_clip_pool;

void tp_clip_pool_init(tp_clip_pool *p, uint32_t method, uint32_t permille, uint32_t capacity, float *scores,
                       float *sorted);

/* Adds a window score and returns the pooled score of the windows held. */
float tp_clip_pool_push(tp_clip_pool *p, float score);

#ifdef __cplusplus
}
#endif

#endif
