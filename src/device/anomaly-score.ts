/**
 * TypeScript twin of firmware/core/anomaly_score.c: every step is rounded to
 * float32 in the same order as the C (no fused multiply-add), so the scores
 * are bit-identical to what the Cortex-M4F computes.
 */
export interface DeviceQuant {
  scale: number;
  zeroPoint: number;
}

const f32 = Math.fround;

export function deviceAnomalyScore(input: Int8Array, inputQ: DeviceQuant, output: Int8Array, outputQ: DeviceQuant): number {
  const n = input.length;
  if (n === 0) return 0;
  const si = f32(inputQ.scale);
  const so = f32(outputQ.scale);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = f32(si * (input[i]! - inputQ.zeroPoint));
    const y = f32(so * (output[i]! - outputQ.zeroPoint));
    const d = f32(x - y);
    sum = f32(sum + f32(d * d));
  }
  return f32(sum / n);
}
