/** @deprecated Moved to src/stats/distributions.ts (below fit, which lm's p-values need); kept so other branches merge. */
export * from '../stats/distributions.js';
