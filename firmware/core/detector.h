/* The portable detector: PDM samples → front-end → model window → model call
 * → anomaly score → threshold. It is what the sketch's loop() runs, and what
 * the QEMU/host harness runs with the model call served from recorded outputs.
 *
 * The model sits behind tp_model_iface so this file needs no TFLM: the sketch
 * implements it with MicroInterpreter::Invoke(), the harness with precomputed
 * int8 outputs of tinypdm's reference interpreter. The TypeScript twin is
 * src/device/detector.ts; scores and flags are bit-identical to it. */
#ifndef TINYPDM_DETECTOR_H
#define TINYPDM_DETECTOR_H

#include <stdint.h>

#include "anomaly_score.h"
#include "ring_buffer.h"
#include "tp_frontend.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Runs the model on one int8 window (element (mel m, frame f) at m·W + f)
 * and returns its int8 output (`count` values, same layout), or NULL when the
 * call failed. The returned memory must stay valid until the next call. */
typedef struct tp_model_iface {
  const int8_t *(*invoke)(void *ctx, const int8_t *input, uint32_t count);
  void *ctx;
} tp_model_iface;

typedef struct tp_detector_config {
  tp_quant input_q;
  tp_quant output_q;
  float threshold;      /* anomaly when score > threshold */
  uint32_t input_count; /* n_mels · W: elements in and out of the model */
} tp_detector_config;

typedef struct tp_detector_result {
  uint32_t window;
  float score;
  int anomaly;
  int model_failed; /* the model call returned NULL: score and anomaly are 0 */
  uint32_t frontend_us;  /* front-end time since the previous window (0 without a clock) */
  uint32_t inference_us; /* time in the model call (0 without a clock) */
} tp_detector_result;

typedef void (*tp_detector_report)(void *ctx, const tp_detector_result *result);

/* A window's score from its int8 input and reconstruction; without one the
 * detector scores the MSE (anomaly_score.c). scorer.c provides the run's. */
typedef float (*tp_window_scorer_fn)(void *ctx, const int8_t *input, tp_quant input_q, const int8_t *output,
                                     tp_quant output_q, uint32_t count);

/* Microseconds from any free-running counter; NULL when there is none. */
typedef uint32_t (*tp_detector_clock)(void);

typedef struct tp_detector {
  const tp_detector_config *cfg;
  tp_fe_state *fe;
  tp_model_iface model;
  tp_detector_report report;
  void *report_ctx;
  tp_detector_clock clock;
  uint32_t busy_since;
  uint32_t frontend_us;
  uint32_t windows;
  uint32_t anomalies;
  tp_window_scorer_fn scorer; /* NULL: MSE */
  void *scorer_ctx;
} tp_detector;

/* `fe` must already be initialised (the generated <name>_init()). */
void tp_detector_init(tp_detector *d, const tp_detector_config *cfg, tp_fe_state *fe, tp_model_iface model,
                      tp_detector_report report, void *report_ctx, tp_detector_clock clock);

/* Scores windows with `scorer` instead of the MSE (call after tp_detector_init). */
void tp_detector_set_scorer(tp_detector *d, tp_window_scorer_fn scorer, void *ctx);

/* Streams samples straight into the front-end; reports every completed window. */
void tp_detector_push(tp_detector *d, const int16_t *pcm, uint32_t count);

/* Drains the ring (filled by the PDM interrupt) through `scratch` in chunks;
 * returns the number of samples consumed. Call it from loop(). */
uint32_t tp_detector_drain(tp_detector *d, tp_ring_i16 *ring, int16_t *scratch, uint32_t scratch_len);

#ifdef __cplusplus
}
#endif

#endif
