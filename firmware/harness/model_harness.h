/*
 * Test and bench harness around generated models (src/codegen/c-model),
 * shared by the host and the Cortex-M4 (QEMU) builds. Not part of the
 * product firmware. One binary holds several models; for model i it reads
 * model_in_<i>.bin (inputs back to back), runs each, writes model_out_<i>.bin
 * and prints one line:
 *   model=<i> runs=<n> instructions=<total> steps=<s> step_instructions=<a>,<b>,...
 * (instructions are counted on the M4 only; the step figures come from the
 * generated TINYPDM_MODEL_STEP_DONE hook and cover the last run).
 */
#ifndef TP_MODEL_HARNESS_H
#define TP_MODEL_HARNESS_H

#include <stdint.h>

typedef uint64_t (*tp_model_clock)(void);

typedef struct tp_model_entry {
  void (*run)(const void *in, void *out);
  uint32_t in_bytes, out_bytes, steps;
} tp_model_entry;

/* Records the clock at the end of a step (the generated hook calls it when profiling). */
void tp_model_step_done(uint32_t step);

int tp_model_harness_run(const tp_model_entry *models, uint32_t count, tp_model_clock clock);

#endif
