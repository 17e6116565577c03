#include "detector.h"

#include <stddef.h>

static uint32_t now_us(const tp_detector *d) { return d->clock ? d->clock() : 0u; }

/* Front-end sink: one completed model window. Front-end time is everything
 * since the previous window ended, minus nothing else: the model call is the
 * only other work done inside tp_fe_push. */
static void on_window(void *ctx, const int8_t *input, uint32_t window_index) {
  tp_detector *d = (tp_detector *)ctx;
  const tp_detector_config *c = d->cfg;
  tp_detector_result r;
  const int8_t *output;
  uint32_t t0 = now_us(d), t1;
  d->frontend_us += t0 - d->busy_since;
  output = d->model.invoke(d->model.ctx, input, c->input_count);
  t1 = now_us(d);
  r.window = window_index;
  r.model_failed = output == NULL;
  r.score = output == NULL ? 0.0f
            : d->scorer ? d->scorer(d->scorer_ctx, input, c->input_q, output, c->output_q, c->input_count)
                        : tp_anomaly_score(input, c->input_q, output, c->output_q, c->input_count);
  r.anomaly = output != NULL && r.score > c->threshold;
  r.frontend_us = d->frontend_us;
  r.inference_us = t1 - t0;
  d->windows++;
  if (r.anomaly) d->anomalies++;
  if (d->report) d->report(d->report_ctx, &r);
  d->frontend_us = 0u;
  d->busy_since = now_us(d);
}

void tp_detector_init(tp_detector *d, const tp_detector_config *cfg, tp_fe_state *fe, tp_model_iface model,
                      tp_detector_report report, void *report_ctx, tp_detector_clock clock) {
  d->cfg = cfg;
  d->fe = fe;
  d->model = model;
  d->report = report;
  d->report_ctx = report_ctx;
  d->clock = clock;
  d->busy_since = 0u;
  d->frontend_us = 0u;
  d->windows = 0u;
  d->anomalies = 0u;
  d->scorer = NULL;
  d->scorer_ctx = NULL;
}

void tp_detector_set_scorer(tp_detector *d, tp_window_scorer_fn scorer, void *ctx) {
  d->scorer = scorer;
  d->scorer_ctx = ctx;
}

void tp_detector_push(tp_detector *d, const int16_t *pcm, uint32_t count) {
  tp_fe_sink sink;
  sink.on_column = NULL;
  sink.on_window = on_window;
  sink.ctx = d;
  d->busy_since = now_us(d);
  tp_fe_push(d->fe, pcm, count, &sink);
  d->frontend_us += now_us(d) - d->busy_since;
}

uint32_t tp_detector_drain(tp_detector *d, tp_ring_i16 *ring, int16_t *scratch, uint32_t scratch_len) {
  uint32_t total = 0u, n;
  while ((n = tp_ring_read(ring, scratch, scratch_len)) > 0u) {
    tp_detector_push(d, scratch, n);
    total += n;
  }
  return total;
}
