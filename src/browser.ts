/**
 * `lmm-wasm/browser`: the browser build's synchronous API (dist/browser/lmm-wasm.js, a minified ES module
 * importable from a CDN or a no-build page; it imports only the build's chunks by relative URL). The main
 * entry's functions but glmer: lm, lmer, summary, anova, confint, ranova, lsMeans, the data readers, init.
 * glmer (with GlmerModel, GlmerSummary, makeFamily) is `lmm-wasm/browser/glmer` (dist/browser/glmer.js
 * beside this file), which a page fitting lm and lmer only never loads; it exports this file's functions
 * too, from the same chunks, so a page may import from both and loads the shared code once, and the
 * generic functions here (summary, anova, confint, fixef, ranef, varCorr, allFit) take its fits. Their
 * async versions in a Web Worker, glmer included, are `lmm-wasm/worker`
 * (dist/browser/worker.js beside this file for a no-build page), so a page that fits on its own thread loads
 * neither the worker client nor Comlink.
 *
 * `await init()` before the first synchronous fit: it fetches the engine, lmm-wasm.wasm, and compiles it
 * asynchronously (the worker does so itself). The page's CSP needs script-src
 * 'wasm-unsafe-eval' (and, if it restricts connect-src, the engine's URL); the engine needs WebAssembly SIMD
 * (Chrome/Edge ≥ 91, Firefox ≥ 90, Safari ≥ 16.4).
 *
 * @example
 * <script type="module">
 *   import { init, lmer, summary } from './lmm-wasm.js';
 *   await init();
 *   document.body.textContent = summary(lmer('Reaction ~ Days + (Days | Subject)', rows));
 * </script>
 */
export * from './core.js';
