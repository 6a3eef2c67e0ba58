/**
 * The worker_thread's script (Node): exposes the service on the parent port.
 */
import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink/dist/esm/comlink.mjs';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { createService } from './service.js';

if (!parentPort) throw new Error('lmm-wasm/worker: thread-node.js runs only as a worker_thread');
Comlink.expose(createService(), nodeEndpoint(parentPort));
