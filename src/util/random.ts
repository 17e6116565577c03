/**
 * Seeded pseudo-random numbers for everything that must replay exactly:
 * dataset synthesis, splits and training shuffles. Never `Math.random`.
 *
 * The generator is xoshiro128** (Blackman & Vigna), seeded through splitmix32
 * so that nearby seeds give unrelated streams. `derive(key)` makes an
 * independent child stream from a label, so clip 17's content does not depend
 * on how many numbers clips 0..16 consumed: adding a clip or changing one
 * clip's length never reshuffles the others.
 */
export interface Rng {
  /** Uniform in [0, 1), 32 bits of resolution. */
  next(): number;
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Integer uniform in [0, n). */
  int(n: number): number;
  /** Standard normal (Box-Muller; one value per call, no cached state). */
  normal(): number;
  /** An independent stream named by `key`; the parent's state is not advanced. */
  derive(key: string | number): Rng;
  /** Fisher-Yates shuffle of a copy. */
  shuffled<T>(items: readonly T[]): T[];
}

export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  return fromKey(hashWords([seed >>> 0, Math.floor(seed / 2 ** 32) >>> 0]));
}

function fromKey(key: number): Rng {
  let sm = key >>> 0;
  const splitmix = (): number => {
    sm = (sm + 0x9e3779b9) >>> 0;
    let z = sm;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  const s = new Uint32Array([splitmix(), splitmix(), splitmix(), splitmix()]);
  if ((s[0]! | s[1]! | s[2]! | s[3]!) === 0) s[0] = 1; // the all-zero state is a fixed point

  const nextU32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  };

  const rng: Rng = {
    next: () => nextU32() / 4294967296,
    uniform: (lo, hi) => lo + (hi - lo) * rng.next(),
    int: (n) => Math.floor(rng.next() * n),
    normal: () => {
      // 1 - u keeps the log argument in (0, 1].
      const u = 1 - rng.next();
      const v = rng.next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    derive: (label) => fromKey(hashWords([key, ...wordsOf(label)])),
    shuffled: (items) => {
      const out = items.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
  };
  return rng;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

function wordsOf(label: string | number): number[] {
  if (typeof label === 'number') return [0x6e756d, label >>> 0, Math.floor(label / 2 ** 32) >>> 0];
  const words = [0x737472, label.length];
  for (let i = 0; i < label.length; i++) words.push(label.charCodeAt(i));
  return words;
}

/** murmur3-style mixing of 32-bit words into one 32-bit key. */
function hashWords(words: number[]): number {
  let h = 0x1b873593;
  for (const w of words) {
    let k = Math.imul(w >>> 0, 0xcc9e2d51);
    k = rotl(k >>> 0, 15);
    k = Math.imul(k, 0x1b873593);
    h = rotl((h ^ k) >>> 0, 13);
    h = (Math.imul(h, 5) + 0xe6546b64) >>> 0;
  }
  h ^= words.length;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
