/**
 * The Web Worker's script: exposes the service on the worker's global scope. Loaded as a module worker
 * (`new Worker(url, { type: 'module' })`); the package's build bundles it into dist/browser/lmm-wasm.worker.js.
 */
import * as Comlink from 'comlink/dist/esm/comlink.mjs';
import { createService } from './service.js';

Comlink.expose(createService());
