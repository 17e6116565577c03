/* Window geometry shared by MAX_POOL_2D and AVERAGE_POOL_2D (TFLM
 * pooling_common.cc): the leading padding comes from the TFLite padding rule
 * (kernels/padding.h), windows are clipped to the input. */
#ifndef TP_POOL_2D_PARAMS_H
#define TP_POOL_2D_PARAMS_H

#include "tp_kernel.h"

typedef struct tp_pool_2d_params {
  int32_t in_h, in_w, channels;
  int32_t out_h, out_w;
  int32_t filter_h, filter_w, stride_h, stride_w;
  int32_t pad_top, pad_left;
  int32_t act_min, act_max;
} tp_pool_2d_params;

#endif
