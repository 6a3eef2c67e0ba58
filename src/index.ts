/**
 * lmm-wasm: R's lm, lme4's lmer and glmer, lmerTest's Satterthwaite tests and anova for JavaScript, with
 * the linear algebra in WebAssembly. Runs in Node, browsers and Web Workers (this entry uses no Node API;
 * `lmm-wasm/node` adds file reading).
 *
 * @example
 * import { lmer, summary, anova } from 'lmm-wasm';
 * const m = lmer('Reaction ~ Days + (Days | Subject)', rows);
 * console.log(summary(m));
 */
export * from './core.js';
export * from './glmer-api.js';
