/* Cortex-M4 (QEMU mps2-an386) build of the detector harness; reads det_in.bin
 * through semihosting from QEMU's working directory. */
#include <stdlib.h>

#include "detector_harness.h"

void SysTick_Handler(void) {}

extern void initialise_monitor_handles(void);

int main(void) {
  initialise_monitor_handles();
  exit(tp_detector_harness_run("det_in.bin", NULL));
}
