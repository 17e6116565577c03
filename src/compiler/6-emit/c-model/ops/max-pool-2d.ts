import type { Op } from '../../../../ir/index.js';
import type { EmitContext, Step } from '../types.js';
import { emitPool } from './pool-2d.js';

/** MAX_POOL_2D: firmware/kernels/max_pool_2d.h. On cortex-m4 a tiling one after a conv is fused into the conv instead. */
export const emitMaxPool2d = (op: Op, ctx: EmitContext): Step => emitPool(op, ctx, 'MAX_POOL_2D');
