/* Shared by every kernel in firmware/kernels: the kernel storage class and
 * small integer helpers.
 *
 * Kernels are `static inline` functions in headers, one op per file. The
 * generated model (src/codegen/c-model) includes the headers of the ops it
 * uses and calls each kernel with a pointer to a `static const` parameter
 * struct, so with optimisation on the compiler inlines the kernel and folds
 * every shape, stride, padding and zero point into the code as a constant.
 *
 * Arithmetic follows TFLM's reference int8 kernels
 * (tensorflow/lite/kernels/internal/reference/integer_ops/ in tflite-micro)
 * and is bit-exact with tinypdm's TypeScript reference interpreter
 * (src/runtime/ops), which the tests check on every op. */
#ifndef TP_KERNEL_H
#define TP_KERNEL_H

#include <stdint.h>
#include <string.h>

/* TP_LOOP: an inner loop kept out of line, so the register allocator sees it
 * alone (inlined into a layer's outer loops its accumulators spill). */
#if defined(__GNUC__)
#define TP_KERNEL static inline __attribute__((always_inline))
#define TP_LOOP static __attribute__((noinline, unused))
#define TP_ALIGNED(n) __attribute__((aligned(n)))
#else
#define TP_KERNEL static inline
#define TP_LOOP static
#define TP_ALIGNED(n)
#endif

/* Asks GCC to unroll the next loop n times (a hint; other compilers ignore it). */
#if defined(__GNUC__) && !defined(__clang__)
#define TP_PRAGMA(x) _Pragma(#x)
#define TP_UNROLL(n) TP_PRAGMA(GCC unroll n)
#else
#define TP_UNROLL(n)
#endif

/* floor(x / 2^s) without the implementation-defined >> of a negative value;
 * compilers turn it into one arithmetic shift. */
TP_KERNEL int32_t tpk_asr32(int32_t x, uint32_t s) {
  return x < 0 ? ~(int32_t)((uint32_t)~x >> s) : (int32_t)((uint32_t)x >> s);
}

TP_KERNEL int64_t tpk_asr64(int64_t x, uint32_t s) {
  return x < 0 ? ~(int64_t)((uint64_t)~x >> s) : (int64_t)((uint64_t)x >> s);
}

/* int32 addition that wraps like TFLM's accumulators do on the hardware. */
TP_KERNEL int32_t tpk_add_wrap(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }

TP_KERNEL int32_t tpk_clamp(int32_t v, int32_t lo, int32_t hi) { return v < lo ? lo : v > hi ? hi : v; }

TP_KERNEL int32_t tpk_min(int32_t a, int32_t b) { return a < b ? a : b; }

TP_KERNEL int32_t tpk_max(int32_t a, int32_t b) { return a > b ? a : b; }

#endif
