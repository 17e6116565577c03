/* Cortex-M4 (QEMU mps2-an386) build of the harness. Files are opened through
 * semihosting relative to QEMU's working directory: fe_in.bin → fe_cols.bin,
 * fe_wins.bin. SysTick counts instructions: under -icount shift=0 it advances
 * one tick per 40 executed instructions (QEMU -icount shift=0: one instruction per virtual ns; SysTick clocked at 25 MHz). */
#include <stdlib.h>

#include "harness.h"
#include "harness_configs.h"

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
  int rc;
  initialise_monitor_handles();
  SYST_RVR = SYSTICK_RELOAD;
  SYST_CVR = 0;
  SYST_CSR = 7u; /* enable, interrupt, processor clock */
  rc = tp_harness_run(tp_harness_configs, TP_HARNESS_CONFIG_COUNT, &tp_harness_storage, "fe_in.bin", "fe_cols.bin",
                      "fe_wins.bin", m4_clock);
  exit(rc);
}
