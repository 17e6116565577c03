import type { FrontEndTables } from './tables.js';

/**
 * Streaming polyphase resampler, the twin of firmware/frontend/tp_resample.c.
 * History is a doubled ring (each sample written at w and w+K) so the newest K
 * samples are always contiguous, oldest first. Output n is computed as soon as
 * its newest input (base + K/2) arrives: latency K/2 input samples. Samples
 * before the stream start are zeros.
 */
export class StreamingResampler {
  private readonly t: FrontEndTables['resampler'];
  private readonly history: Int16Array;
  private pos = 0;
  private need: number;
  private phase = 0;
  private rem: number;
  private produced = 0;
  private totalIn = 0;

  constructor(
    tables: FrontEndTables,
    private readonly emit: (y: number) => void,
  ) {
    this.t = tables.resampler;
    this.history = new Int16Array(2 * this.t.tapsPerPhase);
    this.need = this.t.tapsPerPhase / 2 + 1;
    this.rem = this.t.remStart;
  }

  push(x: number): void {
    this.totalIn++;
    this.step(x);
  }

  /** Ends a clip: feeds zeros until all ceil(len·up/down) outputs exist. */
  flush(): void {
    const { up, down } = this.t;
    while (this.produced * down < this.totalIn * up) this.step(0);
  }

  private step(x: number): void {
    const t = this.t;
    if (t.passthrough) {
      this.produced++;
      this.emit(x);
      return;
    }
    const K = t.tapsPerPhase;
    const h = this.history;
    h[this.pos] = x;
    h[this.pos + K] = x;
    this.pos = this.pos + 1 === K ? 0 : this.pos + 1;
    if (--this.need !== 0) return;

    const taps = t.tapsQ;
    const o = this.phase * K;
    const p = this.pos;
    let acc = 0; // exact: |acc| < 2^15 · Σ|tap| < 2^53
    for (let i = 0; i < K; i++) acc += h[p + i]! * taps[o + i]!;
    let y = Math.floor((acc + 2 ** (t.tapShift - 1)) / 2 ** t.tapShift);
    if (y > 32767) y = 32767;
    else if (y < -32768) y = -32768;
    this.produced++;
    this.emit(y);

    this.rem += t.stepRem;
    let advance = this.phase + t.stepWhole;
    if (this.rem >= t.remModulus) {
      this.rem -= t.remModulus;
      advance++;
    }
    this.need = Math.floor(advance / t.phases);
    this.phase = advance - this.need * t.phases;
  }
}
