/**
 * `lmm-wasm/browser`: the browser build (dist/browser/lmm-wasm.js, a minified ES module importable from a CDN
 * or a no-build page; it imports only lmm-wasm.shared.js beside it, which the worker file shares). The
 * synchronous API of the main entry, plus `createWorker()` that runs the same functions in
 * dist/browser/lmm-wasm.worker.js beside it.
 *
 * `await init()` before the first synchronous fit: it fetches the engine, lmm-wasm.wasm beside this file, and
 * compiles it asynchronously (the worker does so itself). The page's CSP needs script-src
 * 'wasm-unsafe-eval' (and, if it restricts connect-src, the engine's URL); the engine needs WebAssembly SIMD
 * (Safari ≥ 16.4).
 *
 * @example
 * <script type="module">
 *   import { init, lmer, summary } from './lmm-wasm.js';
 *   await init();
 *   document.body.textContent = summary(lmer('Reaction ~ Days + (Days | Subject)', rows));
 * </script>
 */
import { LmmWorker, sharedWorkerFunctions } from './worker/client.js';
import { webWorkerSpawner } from './worker/browser.js';

export * from './index.js';

export { LmmWorker, RemoteModel, RemoteResult, type RemoteData } from './worker/client.js';

/** Starts a Web Worker running the browser build's worker file (lmm-wasm.worker.js, next to this file). */
export function createWorker(url: string | URL = new URL('./lmm-wasm.worker.js', import.meta.url)): LmmWorker {
  return new LmmWorker(webWorkerSpawner(url));
}

/** The package's functions, async, in one shared worker started on first use (names as in `lmm-wasm/worker`). */
export const worker = sharedWorkerFunctions(() => createWorker());
