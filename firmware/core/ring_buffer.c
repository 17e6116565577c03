#include "ring_buffer.h"

/* Keeps the compiler from moving the sample copies across the index update;
 * a single-core Cortex-M4 needs no hardware barrier between ISR and thread. */
#if defined(__GNUC__) || defined(__clang__)
#define TP_COMPILER_BARRIER() __asm__ __volatile__("" ::: "memory")
#else
#define TP_COMPILER_BARRIER() ((void)0)
#endif

int tp_ring_init(tp_ring_i16 *ring, int16_t *storage, uint32_t capacity) {
  if (capacity == 0u || (capacity & (capacity - 1u)) != 0u) return -1;
  ring->data = storage;
  ring->mask = capacity - 1u;
  ring->head = 0u;
  ring->tail = 0u;
  ring->dropped = 0u;
  return 0;
}

uint32_t tp_ring_available(const tp_ring_i16 *ring) { return ring->head - ring->tail; }

uint32_t tp_ring_write(tp_ring_i16 *ring, const int16_t *samples, uint32_t count) {
  const uint32_t head = ring->head;
  const uint32_t space = (ring->mask + 1u) - (head - ring->tail);
  const uint32_t n = count < space ? count : space;
  uint32_t i;
  for (i = 0; i < n; i++) ring->data[(head + i) & ring->mask] = samples[i];
  TP_COMPILER_BARRIER();
  ring->head = head + n;
  ring->dropped += count - n;
  return n;
}

uint32_t tp_ring_read(tp_ring_i16 *ring, int16_t *out, uint32_t count) {
  const uint32_t tail = ring->tail;
  const uint32_t avail = ring->head - tail;
  const uint32_t n = count < avail ? count : avail;
  uint32_t i;
  for (i = 0; i < n; i++) out[i] = ring->data[(tail + i) & ring->mask];
  TP_COMPILER_BARRIER();
  ring->tail = tail + n;
  return n;
}
