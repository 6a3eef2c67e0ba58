/**
 * `lmm-wasm/browser/glmer`: the browser build with glmer (dist/browser/glmer.js, beside `lmm-wasm/browser`'s
 * lmm-wasm.js). Everything the main entry `lmm-wasm` exports: `lmm-wasm/browser`'s functions and glmer,
 * GlmerModel, GlmerSummary, makeFamily. glmer's code is in a chunk of its own, which only this file loads,
 * so a page fitting lm and lmer stays smaller; the rest is the chunks lmm-wasm.js loads, so a page
 * importing from both files loads them once. `await init()` before the first fit, as with lmm-wasm.js: once
 * this file is loaded, `init()` (imported from either file) fetches the glmer engine, lmm-wasm-glmer.wasm, a
 * superset of lmm-wasm.wasm's that serves the page's lm and lmer fits too (one engine downloaded, not two).
 *
 * @example
 * <script type="module">
 *   import { init, glmer, summary } from './glmer.js';
 *   await init();
 *   const m = glmer('cbind(incidence, size - incidence) ~ period + (1 | herd)', cbpp, { family: 'binomial' });
 *   document.body.textContent = summary(m);
 * </script>
 */
import { wantGlmerEngine } from './wasm/instance.js';

wantGlmerEngine();

export * from './index.js';
