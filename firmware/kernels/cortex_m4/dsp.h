/* The Cortex-M4 DSP instructions the optimised kernels use, through ACLE
 * intrinsics (<arm_acle.h>) when the compiler targets them
 * (__ARM_FEATURE_DSP), and as portable C with the same results otherwise, so
 * the optimised kernels also build and are tested on the host.
 *   tpk_sxtb16(x)       SXTB16: bytes 0 and 2 of x, sign-extended, as two int16 lanes
 *   tpk_sxtb16_ror8(x)  SXTB16 x, ROR #8: bytes 1 and 3
 *   tpk_smlad(a, b, c)  SMLAD: c + a.lo·b.lo + a.hi·b.hi (int16 lanes), wrapping
 *   tpk_load2(&p, &lo, &hi)  LDRD lo, hi, [p], #8: two words, p advanced (p 4-byte aligned)
 *   tpk_load2_skip2(&p, &lo, &hi)  the same, then skips two more words (LDRD ..., #16)
 * Lanes are little-endian: lane 0 is the low half-word. */
#ifndef TP_CORTEX_M4_DSP_H
#define TP_CORTEX_M4_DSP_H

#include "../tp_kernel.h"

TP_KERNEL uint32_t tpk_load32(const void *p) {
  uint32_t v;
  memcpy(&v, p, 4); /* one LDR on the M4 (unaligned access is allowed there) */
  return v;
}

#if defined(__ARM_FEATURE_DSP) && defined(__ARM_FEATURE_SIMD32)
#include <arm_acle.h>

#define TP_DSP_INTRINSICS 1

TP_KERNEL int32_t tpk_sxtb16(uint32_t x) { return (int32_t)__sxtb16((int8x4_t)x); }

/* ACLE has no rotated form of __sxtb16 in GCC 12, and GCC does not fold a
 * separate rotate into it, so the one instruction is written out. */
TP_KERNEL int32_t tpk_sxtb16_ror8(uint32_t x) {
  int32_t r;
  __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
  return r;
}

TP_KERNEL int32_t tpk_smlad(int32_t a, int32_t b, int32_t acc) { return __smlad(a, b, acc); }

/* GCC splits 64-bit loads into two LDRs here; one LDRD with write-back is one
 * instruction. The memory clobber keeps it after the stores that fill p. */
TP_KERNEL void tpk_load2(const uint32_t **p, uint32_t *lo, uint32_t *hi) {
  const uint32_t *q = *p;
  uint32_t a, b;
  __asm__("ldrd %0, %1, [%2], #8" : "=r"(a), "=r"(b), "+r"(q) : : "memory");
  *lo = a;
  *hi = b;
  *p = q;
}

TP_KERNEL void tpk_load2_skip2(const uint32_t **p, uint32_t *lo, uint32_t *hi) {
  const uint32_t *q = *p;
  uint32_t a, b;
  __asm__("ldrd %0, %1, [%2], #16" : "=r"(a), "=r"(b), "+r"(q) : : "memory");
  *lo = a;
  *hi = b;
  *p = q;
}

#else

TP_KERNEL void tpk_load2(const uint32_t **p, uint32_t *lo, uint32_t *hi) {
  *lo = tpk_load32(*p);
  *hi = tpk_load32(*p + 1);
  *p += 2;
}

TP_KERNEL void tpk_load2_skip2(const uint32_t **p, uint32_t *lo, uint32_t *hi) {
  *lo = tpk_load32(*p);
  *hi = tpk_load32(*p + 1);
  *p += 4;
}

#define TP_DSP_INTRINSICS 0

TP_KERNEL uint32_t tpk_lane16(int32_t v) { return (uint32_t)(uint16_t)(int16_t)v; }

TP_KERNEL int32_t tpk_byte(uint32_t x, uint32_t i) { return (int32_t)(int8_t)(uint8_t)((x >> (8u * i)) & 0xffu); }

TP_KERNEL int32_t tpk_sxtb16(uint32_t x) {
  return (int32_t)(tpk_lane16(tpk_byte(x, 0u)) | (tpk_lane16(tpk_byte(x, 2u)) << 16));
}

TP_KERNEL int32_t tpk_sxtb16_ror8(uint32_t x) {
  return (int32_t)(tpk_lane16(tpk_byte(x, 1u)) | (tpk_lane16(tpk_byte(x, 3u)) << 16));
}

TP_KERNEL int32_t tpk_half(int32_t v, uint32_t i) { return (int32_t)(int16_t)(uint16_t)(((uint32_t)v >> (16u * i)) & 0xffffu); }

TP_KERNEL int32_t tpk_smlad(int32_t a, int32_t b, int32_t acc) {
  const int32_t p0 = tpk_half(a, 0u) * tpk_half(b, 0u);
  const int32_t p1 = tpk_half(a, 1u) * tpk_half(b, 1u);
  return (int32_t)((uint32_t)acc + (uint32_t)p0 + (uint32_t)p1);
}

#endif

#endif
