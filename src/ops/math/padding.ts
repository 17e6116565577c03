import type { Padding } from '../../ir/index.js';

/**
 * Output size and leading padding exactly as TFLite's kernels/padding.h
 * computes them. The leading pad is total/2 (the extra odd pixel goes after),
 * where total = max(0, (out − 1)·stride + effective_filter − in).
 */
export function computeOutSize(padding: Padding, inSize: number, filter: number, stride: number, dilation = 1): number {
  const effective = (filter - 1) * dilation + 1;
  return padding === 'SAME' ? Math.floor((inSize + stride - 1) / stride) : Math.floor((inSize - effective + stride) / stride);
}

export function computePadding(stride: number, dilation: number, inSize: number, filter: number, outSize: number): number {
  const effective = (filter - 1) * dilation + 1;
  const total = Math.max(0, (outSize - 1) * stride + effective - inSize);
  return Math.floor(total / 2);
}

/** TFLite's ComputePaddingHeightWidth for one axis: the output size it derives and the leading pad. */
export function paddedAxis(
  padding: Padding,
  inSize: number,
  filter: number,
  stride: number,
  dilation = 1,
): { out: number; before: number } {
  const out = computeOutSize(padding, inSize, filter, stride, dilation);
  return { out, before: computePadding(stride, dilation, inSize, filter, out) };
}
