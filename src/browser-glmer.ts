/**
 * `lmm-wasm/browser/glmer`: the browser build with glmer (dist/browser/glmer.js, beside `lmm-wasm/browser`'s
 * lmm-wasm.js). Everything the main entry `lmm-wasm` exports: `lmm-wasm/browser`'s functions and glmer,
 * GlmerModel, GlmerSummary, makeFamily. glmer's code is in a chunk of its own, which only this file loads,
 * so a page fitting lm and lmer stays smaller; the rest is the chunks lmm-wasm.js loads, so a page
 * importing from both files loads them once. `await init()` before the first fit, as with lmm-wasm.js.
 *
 * @example
 * <script type="module">
 *   import { init, glmer, summary } from './glmer.js';
 *   await init();
 *   const m = glmer('cbind(incidence, size - incidence) ~ period + (1 | herd)', cbpp, { family: 'binomial' });
 *   document.body.textContent = summary(m);
 * </script>
 */
export * from './index.js';
