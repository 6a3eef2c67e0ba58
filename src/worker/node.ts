/**
 * `lmm-wasm/worker` in Node: the package's functions, async, in a worker_thread, so a server's event loop
 * keeps serving while a model fits. The worker does not keep the process alive while idle.
 *
 * @example
 * import { lmer } from 'lmm-wasm/worker';
 * const m = await lmer('Reaction ~ Days + (Days | Subject)', rows, { onProgress: (p) => console.error(p.evaluations) });
 */
import { Worker } from 'node:worker_threads';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { LmmWorker, sharedWorkerFunctions, type SpawnWorker } from './client.js';

export { LmmWorker, RemoteModel, RemoteResult, type RemoteData, type SpawnWorker, type WorkerHost, type WorkerEndpoint } from './client.js';
export type { FitProgress } from '../fit/progress.js';

/**
 * The parent's Node flags minus those that describe the parent's own entry point (`-e CODE`, `--eval=CODE`,
 * `-p`, `--input-type=module`), which a worker_thread started from a file refuses.
 */
function workerExecArgv(argv: readonly string[]): string[] | undefined {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-e' || a === '-p' || a === '--eval' || a === '--print') i++; // and the code after it
    else if (!/^--(eval|print|input-type)=/.test(a)) out.push(a);
  }
  // undefined inherits the parent's flags as they are (an explicit list is checked more strictly by Node)
  return out.length === argv.length ? undefined : out;
}

/** A spawner of worker_threads running the script at `url` (the package's thread-node.js by default). */
export function nodeWorkerSpawner(url: string | URL = new URL('./thread-node.js', import.meta.url)): SpawnWorker {
  return (onError) => {
    const worker = new Worker(url, { execArgv: workerExecArgv(process.execArgv) });
    worker.on('error', (e) => onError(new Error(`the lmm-wasm worker_thread failed: ${e.message}`)));
    return {
      endpoint: nodeEndpoint(worker),
      terminate: () => void worker.terminate(),
      ref: () => worker.ref(),
      unref: () => worker.unref(),
    };
  };
}

/** Starts a worker of its own (e.g. one per fit to run fits in parallel); the functions below share one. */
export function createWorker(url?: string | URL): LmmWorker {
  return new LmmWorker(nodeWorkerSpawner(url));
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
