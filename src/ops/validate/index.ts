/**
 * The op half of the graph validator (the graph half, wiring and tensor
 * values, is src/compiler/1-load/validate): the context its checks report
 * through, the view each op's `validate` rules get, and the pass that runs
 * them in execution order.
 */
export { ValidationContext, FIX_MODEL, formatShape } from './context.js';
export { checkOps } from './check-ops.js';
export type { OpView } from './op-view.js';
export type { OpValidation } from './rule.js';
