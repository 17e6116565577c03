/* CONCATENATION along one axis, int8: the reference kernel. The output is
 * `outer` blocks; block k holds, input after input, copy_size[i] values of
 * input i. An input whose quantisation equals the output's is copied; one
 * that differs is mapped through a 256-entry table computed at compile time
 * with TFLite's ConcatenationWithScaling float32 arithmetic (a table keeps a
 * compiler from fusing that multiply-add, which would change the rounding).
 * Every value is clamped to the fused activation's range. */
#ifndef TP_CONCATENATION_H
#define TP_CONCATENATION_H

#include "tp_kernel.h"

typedef struct tp_concatenation_params {
  int32_t inputs, outer;
  const int32_t *copy_size;        /* [inputs] */
  const int8_t *const *requantize; /* [inputs]: a 256-entry table indexed by value + 128, or NULL */
  int32_t act_min, act_max;
} tp_concatenation_params;

TP_KERNEL void tp_concatenation(const tp_concatenation_params *p, const int8_t *const *in, int8_t *out) {
  int32_t k, i, j;
  for (k = 0; k < p->outer; k++) {
    for (i = 0; i < p->inputs; i++) {
      const int32_t n = p->copy_size[i];
      const int8_t *x = in[i] + k * n;
      const int8_t *table = p->requantize[i];
      for (j = 0; j < n; j++) {
        const int32_t v = table ? table[(int32_t)x[j] + 128] : x[j];
        *out++ = (int8_t)tpk_clamp(v, p->act_min, p->act_max);
      }
    }
  }
}

#endif
