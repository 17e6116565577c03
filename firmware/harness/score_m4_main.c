/* Cortex-M4 (QEMU mps2-an386) build of the scoring harness; reads score_in.bin
 * through semihosting from QEMU's working directory. */
#include <stdlib.h>

#include "score_harness.h"

void SysTick_Handler(void) {}

extern void initialise_monitor_handles(void);

int main(void) {
  initialise_monitor_handles();
  exit(tp_score_harness_run("score_in.bin"));
}
