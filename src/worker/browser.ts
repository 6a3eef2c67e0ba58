/**
 * `lmm-wasm/worker` in browsers (and bundlers targeting them): the package's functions, async, in a module
 * Web Worker. See client.ts for what crosses the boundary.
 *
 * @example
 * import { lmer, anova } from 'lmm-wasm/worker';
 * const m = await lmer('Reaction ~ Days + (Days | Subject)', rows, { signal: controller.signal });
 * document.querySelector('pre').textContent = String(m);
 */
import { LmmWorker, sharedWorkerFunctions, type SpawnWorker } from './client.js';

export { LmmWorker, RemoteModel, RemoteResult, type RemoteData, type SpawnWorker, type WorkerHost, type WorkerEndpoint } from './client.js';
export type { FitProgress } from '../fit/progress.js';

/** A spawner of module Web Workers running the script at `url` (the build's lmm-wasm.worker.js beside this file by default). */
export function webWorkerSpawner(url: string | URL = new URL('./lmm-wasm.worker.js', import.meta.url)): SpawnWorker {
  return (onError) => {
    const worker = new Worker(url, { type: 'module', name: 'lmm-wasm' });
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      onError(new Error(`the lmm-wasm worker (${String(url)}) failed: ${e.message || 'it could not be loaded'}`));
    });
    return { endpoint: worker, terminate: () => worker.terminate() };
  };
}

/** Starts a worker of its own (e.g. one per fit to run fits in parallel); the functions below share one. */
export function createWorker(url?: string | URL): LmmWorker {
  return new LmmWorker(webWorkerSpawner(url));
}

/**
 * The package's functions in one shared worker, started on the first call: lm, lmer, summary, anova, ranova,
 * lsMeans, confint, fixef, ranef, varCorr (and its deprecated alias VarCorr), plotData (a plot's data, drawn
 * with lmm-wasm/plot's drawPlot), `call(name, ...args)` for any other export, `upload(data)`, and `terminate()`.
 */
export const {
  lm, lmer, summary, anova, ranova, lsMeans, confint, fixef, ranef, varCorr, VarCorr, plotData, call, upload, terminate,
} =
  sharedWorkerFunctions(() => createWorker());
