import type { Op } from '../../../../ir/index.js';
import type { EmitContext, Step } from '../types.js';
import { emitPool } from './pool-2d.js';

/** AVERAGE_POOL_2D: firmware/kernels/average_pool_2d.h. */
export const emitAveragePool2d = (op: Op, ctx: EmitContext): Step => emitPool(op, ctx, 'AVERAGE_POOL_2D');
