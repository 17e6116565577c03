/** Agreement between two int8 outputs, measured in output LSBs. */
export interface LsbAgreement {
  count: number;
  identical: number;
  identicalShare: number;
  maxLsb: number;
  /** Histogram of |diff| in LSB: index 0 = identical, 1 = off by one, 2 = more. */
  histogram: [number, number, number];
}

export function emptyAgreement(): LsbAgreement {
  return { count: 0, identical: 0, identicalShare: 1, maxLsb: 0, histogram: [0, 0, 0] };
}

/** Accumulates |a - b| over quantised values (or float values expressed in LSBs). */
export function accumulateLsb(acc: LsbAgreement, ours: ArrayLike<number>, theirs: ArrayLike<number>, lsb = 1): LsbAgreement {
  let { count, identical, maxLsb } = acc;
  const histogram: [number, number, number] = [...acc.histogram];
  for (let i = 0; i < ours.length; i++) {
    const d = Math.round(Math.abs(Number(ours[i]) - Number(theirs[i])) / lsb);
    count++;
    if (d === 0) identical++;
    histogram[Math.min(d, 2)]!++;
    if (d > maxLsb) maxLsb = d;
  }
  return { count, identical, identicalShare: count === 0 ? 1 : identical / count, maxLsb, histogram };
}

export function mergeAgreement(a: LsbAgreement, b: LsbAgreement): LsbAgreement {
  const count = a.count + b.count;
  const identical = a.identical + b.identical;
  return {
    count,
    identical,
    identicalShare: count === 0 ? 1 : identical / count,
    maxLsb: Math.max(a.maxLsb, b.maxLsb),
    histogram: [a.histogram[0] + b.histogram[0], a.histogram[1] + b.histogram[1], a.histogram[2] + b.histogram[2]],
  };
}

/** Error of the int8 model against the float model, in the model's own output units. */
export interface FloatError {
  maxAbs: number;
  rmse: number;
  /** RMSE relative to the float output's RMS; when the float output is all zeros, 0 if int8 matches it, else Infinity. */
  relativeRmse: number;
}

/** Running sums of the int8-vs-float error, so verify need not keep every output. */
export interface FloatErrorSums {
  maxAbs: number;
  sq: number;
  ref: number;
  n: number;
}

export function emptyFloatErrorSums(): FloatErrorSums {
  return { maxAbs: 0, sq: 0, ref: 0, n: 0 };
}

export function accumulateFloatError(acc: FloatErrorSums, int8: ArrayLike<number>, float: ArrayLike<number>): FloatErrorSums {
  let { maxAbs, sq, ref, n } = acc;
  for (let i = 0; i < float.length; i++) {
    const d = Number(int8[i]) - Number(float[i]);
    maxAbs = Math.max(maxAbs, Math.abs(d));
    sq += d * d;
    ref += Number(float[i]) ** 2;
    n++;
  }
  return { maxAbs, sq, ref, n };
}

export function finishFloatError({ maxAbs, sq, ref, n }: FloatErrorSums): FloatError {
  const rmse = n ? Math.sqrt(sq / n) : 0;
  const rms = n ? Math.sqrt(ref / n) : 0;
  return { maxAbs, rmse, relativeRmse: rms > 0 ? rmse / rms : rmse > 0 ? Infinity : 0 };
}
