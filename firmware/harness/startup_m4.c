/* Minimal Cortex-M4 startup for QEMU mps2-an386: vector table, reset handler
 * (copy .data, zero .bss, enable the FPU, run main), and the empty _init/_fini
 * newlib expects when linked with -nostartfiles. */
#include <stdint.h>
#include <stdlib.h>

extern uint32_t __data_load, __data_start, __data_end, __bss_start, __bss_end, __stack_top;
extern int main(void);
void Reset_Handler(void);
void Default_Handler(void);
void SysTick_Handler(void);

void Default_Handler(void) {
  for (;;) {
  }
}

__attribute__((section(".vectors"), used)) static const void *const vector_table[16] = {
    &__stack_top,     Reset_Handler,   Default_Handler, Default_Handler, Default_Handler, Default_Handler,
    Default_Handler,  0,               0,               0,               0,               Default_Handler,
    Default_Handler,  0,               Default_Handler, SysTick_Handler,
};

void Reset_Handler(void) {
  uint32_t *src = &__data_load, *dst = &__data_start;
  while (dst < &__data_end) *dst++ = *src++;
  for (dst = &__bss_start; dst < &__bss_end;) *dst++ = 0;
  *(volatile uint32_t *)0xE000ED88u |= 0xFu << 20; /* CPACR: full access to CP10/CP11 (FPU) */
  __asm volatile("dsb\n isb");
  exit(main());
}

void _init(void) {}
void _fini(void) {}
