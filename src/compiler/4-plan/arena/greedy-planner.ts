/**
 * TFLM's GreedyMemoryPlanner (tensorflow/lite/micro/memory_planner/
 * greedy_memory_planner.cc), reimplemented from its documented rules:
 *
 *  1. Buffers are ordered by size, largest first. The sort is stable, so equal
 *     sizes keep the order in which they were added (TFLM uses a stable bubble
 *     sort, `ReverseSortInPlace`).
 *  2. The first buffer goes at offset 0.
 *  3. Each next buffer walks the already placed buffers in offset order,
 *     looking only at those whose lifetime overlaps its own (inclusive ranges),
 *     and takes the first gap that is big enough; otherwise it goes after the
 *     last overlapping buffer.
 *  4. The head size is the largest end offset.
 *
 * Offline-planned offsets are not supported: we never write that metadata.
 */

export interface BufferRequest {
  /** Bytes, already rounded up to the arena alignment by the caller. */
  size: number;
  /** First and last allocation scope in which the buffer is live (inclusive). */
  firstUse: number;
  lastUse: number;
}

export interface GreedyPlan {
  /** Offsets in the same order as the requests. */
  offsets: number[];
  /** Bytes from the start of the arena to the end of the highest buffer. */
  headBytes: number;
}

function overlapsInTime(a: BufferRequest, b: BufferRequest): boolean {
  return !(a.firstUse > b.lastUse || b.firstUse > a.lastUse);
}

export function greedyPlan(requests: readonly BufferRequest[]): GreedyPlan {
  const offsets = new Array<number>(requests.length).fill(0);
  // Array.prototype.sort is stable (ES2019), as TFLM's bubble sort is.
  const order = requests.map((_, i) => i).sort((a, b) => requests[b]!.size - requests[a]!.size);
  /** Placed buffers, kept sorted by offset; equal offsets keep placement order, as TFLM's list insert does. */
  const placed: number[] = [];
  for (const id of order) {
    const want = requests[id]!;
    let candidate = 0;
    for (const other of placed) {
      const o = requests[other]!;
      if (!overlapsInTime(o, want)) continue;
      if (offsets[other]! - candidate >= want.size) break;
      candidate = Math.max(candidate, offsets[other]! + o.size);
    }
    offsets[id] = candidate;
    // Insert after every entry whose offset is <= candidate (TFLM inserts before the first strictly greater one;
    // the very first entry is replaced only when the new offset is strictly smaller).
    let at = placed.length;
    for (let k = 0; k < placed.length; k++) {
      if (offsets[placed[k]!]! > candidate) {
        at = k;
        break;
      }
    }
    placed.splice(at, 0, id);
  }
  let headBytes = 0;
  for (let i = 0; i < requests.length; i++) headBytes = Math.max(headBytes, offsets[i]! + requests[i]!.size);
  return { offsets, headBytes };
}
