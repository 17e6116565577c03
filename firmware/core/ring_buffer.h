/* Single-producer single-consumer lock-free ring of int16 samples.
 *
 * The producer is the PDM interrupt (PDM.onReceive runs in interrupt
 * context and must never block: the PDM library of ArduinoCore-mbed stops the
 * microphone when a buffer is not read in time); the consumer is loop().
 * Capacity is a power of two so indices wrap with a mask; head and tail are
 * free-running 32-bit counters, so full and empty are told apart without a
 * spare slot. Samples that do not fit are dropped and counted, never block. */
#ifndef TINYPDM_RING_BUFFER_H
#define TINYPDM_RING_BUFFER_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int16_t *data;
  uint32_t mask;
  volatile uint32_t head; /* written only by the producer */
  volatile uint32_t tail; /* written only by the consumer */
  volatile uint32_t dropped;
} tp_ring_i16;

/* capacity must be a power of two; returns 0 on success, -1 otherwise. */
int tp_ring_init(tp_ring_i16 *ring, int16_t *storage, uint32_t capacity);
uint32_t tp_ring_write(tp_ring_i16 *ring, const int16_t *samples, uint32_t count);
uint32_t tp_ring_read(tp_ring_i16 *ring, int16_t *out, uint32_t count);
uint32_t tp_ring_available(const tp_ring_i16 *ring);

#ifdef __cplusplus
}
#endif

#endif
