/** The graph IR every stage shares, and its builder. */
export * from './graph.js';
export { GraphBuilder, cloneGraph } from './builder.js';
