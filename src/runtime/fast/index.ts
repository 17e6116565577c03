import type { OpKind } from '../../model/ir.js';
import type { Kernel } from '../kernel.js';
import { conv2dFast } from './conv2d.js';

/**
 * Faster kernels, bit-identical to the reference ones (../ops/) they replace,
 * for scoring many windows (eval, tune). Pass as `runGraph(g, x, { kernels: FAST_KERNELS })`;
 * ops not listed run the reference kernels.
 */
export const FAST_KERNELS: Readonly<Partial<Record<OpKind, Kernel>>> = {
  CONV_2D: conv2dFast,
};
