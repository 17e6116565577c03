#include "clip_score.h"

#include <stddef.h>

#if defined(__GNUC__) && !defined(__clang__)
#define TP_NO_FMA __attribute__((optimize("fp-contract=off")))
#else
#define TP_NO_FMA
#endif

void tp_clip_pool_init(tp_clip_pool *p, uint32_t method, uint32_t permille, uint32_t capacity, float *scores,
                       float *sorted) {
  p->method = method;
  p->permille = permille;
  p->capacity = capacity;
  p->scores = scores;
  p->sorted = sorted;
  p->count = 0u;
  p->next = 0u;
}

/* Slot of the i-th oldest score held. */
static uint32_t slot_of(const tp_clip_pool *p, uint32_t i) {
  uint32_t first = p->count < p->capacity ? 0u : p->next;
  uint32_t s = first + i;
  return s >= p->capacity ? s - p->capacity : s;
}

static float percentile(tp_clip_pool *p) {
  uint32_t i, j, rank;
  float *v = p->sorted;
  for (i = 0; i < p->count; i++) {
    float s = p->scores[slot_of(p, i)];
    for (j = i; j > 0u && v[j - 1u] > s; j--) v[j] = v[j - 1u]; /* insertion sort, ascending */
    v[j] = s;
  }
  rank = (p->permille * p->count + 999u) / 1000u; /* ceil(p·n/1000), ≥ 1 for p ≥ 1 */
  if (rank < 1u) rank = 1u;
  if (rank > p->count) rank = p->count;
  return v[rank - 1u];
}

TP_NO_FMA float tp_clip_pool_push(tp_clip_pool *p, float score) {
  uint32_t i;
  float acc;
  if (p->capacity == 0u) return score;
  p->scores[p->next] = score;
  p->next = p->next + 1u == p->capacity ? 0u : p->next + 1u;
  if (p->count < p->capacity) p->count++;
  if (p->method == TP_POOL_MAX) {
    acc = p->scores[slot_of(p, 0u)];
    for (i = 1u; i < p->count; i++) {
      float s = p->scores[slot_of(p, i)];
      if (s > acc) acc = s;
    }
    return acc;
  }
  if (p->method == TP_POOL_PERCENTILE && p->sorted != NULL) return percentile(p);
  acc = 0.0f;
  for (i = 0; i < p->count; i++) acc = acc + p->scores[slot_of(p, i)];
  return acc / (float)p->count;
}
