/*
 * Test/bench harness around the front-end, shared by the host and the
 * Cortex-M4 (QEMU) builds. Not part of the product firmware.
 *
 * Input file: int32 config index, int32 flags, int32 sample count, then int16
 * samples (little-endian). Flags: 1 = flush at the end, 2 = bench mode (no
 * output files; time tp_fe_push with the platform clock).
 * Outputs: columns file (n_mels int16 per column), windows file (n_mels·W int8
 * per window), and one summary line on stdout.
 */
#ifndef TP_HARNESS_H
#define TP_HARNESS_H

#include <stdint.h>
#include <stdio.h>

#include "tp_frontend.h"

typedef struct tp_harness_entry {
  const tp_fe_config *config;
  void (*init)(void *storage);
  uint32_t state_bytes;
} tp_harness_entry;

/* Returns a monotonically increasing instruction count (0 where unknown). */
typedef uint64_t (*tp_harness_clock)(void);

int tp_harness_run(const tp_harness_entry *entries, uint32_t entry_count, void *storage, const char *in_path,
                   const char *columns_path, const char *windows_path, tp_harness_clock clock);

#endif
