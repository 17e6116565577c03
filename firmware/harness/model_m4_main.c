/* Cortex-M4 (QEMU mps2-an386) build of the model harness. Files go through
 * semihosting relative to QEMU's working directory. SysTick counts
 * instructions as in m4_main.c: under -icount shift=0 it advances one tick
 * per 40 executed instructions. */
#include <stdlib.h>

#include "model_entries.h"
#include "model_harness.h"

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define SYSTICK_RELOAD 0x00FFFFFFu
#define INSTRUCTIONS_PER_TICK 40u

static volatile uint32_t systick_wraps;

void SysTick_Handler(void) { systick_wraps++; }

static uint64_t m4_clock(void) {
  uint32_t wraps, value;
  do {
    wraps = systick_wraps;
    value = SYST_CVR;
  } while (wraps != systick_wraps);
  return ((uint64_t)wraps * (SYSTICK_RELOAD + 1u) + (SYSTICK_RELOAD - value)) * INSTRUCTIONS_PER_TICK;
}

extern void initialise_monitor_handles(void);

int main(void) {
  initialise_monitor_handles();
  SYST_RVR = SYSTICK_RELOAD;
  SYST_CVR = 0;
  SYST_CSR = 7u; /* enable, interrupt, processor clock */
  exit(tp_model_harness_run(tp_model_entries, TP_MODEL_ENTRY_COUNT, m4_clock));
}
