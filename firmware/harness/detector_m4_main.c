/* Cortex-M4 (QEMU mps2-an386) build of the detector harness; reads det_in.bin
 * through semihosting from QEMU's working directory. The detector's clock
 * counts instructions (SysTick under -icount shift=0, as m4_main.c), so its
 * "microseconds" are instructions here; the low 32 bits suffice for the
 * differences it takes. */
#include <stdlib.h>

#include "detector_harness.h"

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define SYSTICK_RELOAD 0x00FFFFFFu
#define INSTRUCTIONS_PER_TICK 40u

static volatile uint32_t systick_wraps;

void SysTick_Handler(void) { systick_wraps++; }

static uint32_t m4_instructions(void) {
  uint32_t wraps, value;
  do {
    wraps = systick_wraps;
    value = SYST_CVR;
  } while (wraps != systick_wraps);
  return (uint32_t)(((uint64_t)wraps * (SYSTICK_RELOAD + 1u) + (SYSTICK_RELOAD - value)) * INSTRUCTIONS_PER_TICK);
}

extern void initialise_monitor_handles(void);

int main(void) {
  initialise_monitor_handles();
  SYST_RVR = SYSTICK_RELOAD;
  SYST_CVR = 0;
  SYST_CSR = 7u; /* enable, interrupt, processor clock */
  exit(tp_detector_harness_run("det_in.bin", m4_instructions));
}
