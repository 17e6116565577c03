/*
 * Test harness around the portable detector (firmware/core/detector.c), shared
 * by the host and the Cortex-M4 (QEMU) builds. Not part of the product
 * firmware. It compiles against a generated sketch's own headers
 * (tinypdm_config.h and the front-end tables), so what is tested is what the
 * sketch ships.
 *
 * Input file (little-endian): int32 sample count, int32 window count, then the
 * int16 samples at the PDM rate, then window count × TP_INPUT_COUNT int8 model
 * outputs (from tinypdm's reference interpreter), served in order by the
 * model interface. Samples go through the SPSC ring in PDM-buffer-sized
 * writes, drained every few writes, as the sketch's interrupt and loop() do.
 *
 * Output: one line per window with the score's float32 bits in hex, then a
 * summary line.
 *
 * Built with TP_HARNESS_C_MODEL, the model interface runs the model compiled
 * to C (the sketch's src/tinypdm/tinypdm_model.c) instead of recorded
 * outputs: one firmware image does the whole window path, int16 audio in →
 * resampling → Mel front-end → model → score → threshold. With a clock
 * (instructions on the M4) it also prints each window's front-end and model
 * share and, at the end, the totals per stage (the score timed again alone,
 * resampling timed on a second resampler fed the same stream).
 */
#ifndef TP_DETECTOR_HARNESS_H
#define TP_DETECTOR_HARNESS_H

#include <stdint.h>

#include "detector.h"

int tp_detector_harness_run(const char *in_path, tp_detector_clock clock);

#endif
