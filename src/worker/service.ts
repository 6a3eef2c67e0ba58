/**
 * The worker's side: runs the package's exported functions by name on the worker's thread, keeps the fitted
 * models (they own WebAssembly memory) in a registry, and sends back handles, plain data and printed text.
 * Written around the exports generically, so renamed or added functions work without changes here.
 */
import * as api from './exports.js';
import { plotData } from '../plot/data.js';
import { init, loadEngine } from '../wasm/instance.js';
import { OptionError } from '../errors.js';
import type { FitProgress } from '../fit/progress.js';
import {
  isDataRef, isModelRef, printedText, toCloneable,
  type CallShape, type DataRef, type WireError, type WireModel, type WireValue, type WorkerService,
} from './protocol.js';

/** Least time between two progress messages: the caller's UI needs a few per second, not one per evaluation. */
const PROGRESS_INTERVAL_MS = 50;

type AnyFunction = (...args: unknown[]) => unknown;

/**
 * Functions the worker runs besides the core's exports: the plots' plain data (drawn by the caller with
 * lmm-wasm/plot's drawPlot, so the worker needs neither a DOM nor the plotting library).
 */
const WORKER_EXTRAS: Readonly<Record<string, AnyFunction>> = { plotData: plotData as AnyFunction };

function isModel(x: unknown): x is api.LmModel | api.LmerModel {
  if (x instanceof api.LmModel || x instanceof api.LmerModel) return true;
  const k = (x as { kind?: unknown } | null)?.kind;
  return typeof x === 'object' && x !== null && (k === 'lm' || k === 'lmer' || k === 'glmer') && typeof (x as { fixef?: unknown }).fixef === 'function';
}

/** A model's plain JSON as the worker sends it: its own toJSON() where it has one, else the --json object. */
export function modelJSON(m: api.LmModel | api.LmerModel): unknown {
  const own = (m as { toJSON?: () => unknown }).toJSON;
  if (typeof own === 'function') return toCloneable(own.call(m));
  return m instanceof api.LmerModel ? api.lmerJSON(m) : api.lmJSON(m as api.LmModel);
}

/** Builds the service one worker exposes. */
export function createService(): WorkerService {
  const models = new Map<number, unknown>();
  const tables = new Map<number, unknown>();
  let nextId = 1;
  const ready = init();
  // an engine that cannot run (no WebAssembly SIMD, a CSP) is reported to each call as its typed error
  ready.catch(() => {});

  const resolve = (x: unknown): unknown => {
    if (isDataRef(x)) {
      const d = tables.get(x.$data);
      if (!d) throw new OptionError(`data #${x.$data} is no longer in the worker (released, or the worker was restarted after a cancel)`);
      return d;
    }
    if (isModelRef(x)) {
      const m = models.get(x.$model);
      if (!m) throw new OptionError(`model #${x.$model} is no longer in the worker (released, or the worker was restarted after a cancel)`);
      return m;
    }
    if (Array.isArray(x)) return x.map(resolve);
    if (x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype) {
      return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, resolve(v)]));
    }
    return x;
  };

  return {
    ready: () => ready,
    async call(name: string, args: unknown[], shape: CallShape, onProgress?: (p: FitProgress) => void): Promise<WireModel | WireValue | WireError> {
      try {
        await ready;
        // the glmer engine (a superset of the one init() loads in a browser) is fetched for the first glmer fit
        if (name === 'glmer') await loadEngine('glmer');
        return run(name, args, shape, onProgress);
      } catch (e) {
        return { error: toWireError(e) };
      }
    },
    async upload(data: unknown, options: Record<string, unknown> = {}): Promise<DataRef | WireError> {
      try {
        await ready;
        const table = typeof data === 'string' ? api.parseCsv(data, options) : api.toDataTable(data as api.DataInput, options);
        const id = nextId++;
        tables.set(id, table);
        return { $data: id, nrow: table.nrow, names: [...table.names] };
      } catch (e) {
        return { error: toWireError(e) };
      }
    },
    release(ids: number[]): void {
      for (const id of ids) {
        models.delete(id);
        tables.delete(id);
      }
    },
  };

  function run(name: string, args: unknown[], shape: CallShape, onProgress?: (p: FitProgress) => void): WireModel | WireValue {
      const fn = Object.hasOwn(WORKER_EXTRAS, name) ? WORKER_EXTRAS[name] : (api as unknown as Record<string, unknown>)[name];
      if (typeof fn !== 'function' || (/^[A-Z]/.test(name) && name !== 'VarCorr')) {
        throw new OptionError(`lmm-wasm has no function "${name}" to run in the worker`);
      }
      const resolved = args.map(resolve);
      if (onProgress && shape.progressArg >= 0) {
        let last = -Infinity;
        const report = (p: FitProgress): void => {
          const now = performance.now();
          if (now - last < PROGRESS_INTERVAL_MS) return;
          last = now;
          void onProgress(p);
        };
        resolved[shape.progressArg] = { ...(resolved[shape.progressArg] as object), onProgress: report };
      }
      const result = (fn as AnyFunction)(...resolved);
      if (isModel(result)) {
        const id = nextId++;
        models.set(id, result);
        return { $model: id, kind: (result as { kind?: string }).kind ?? (result instanceof api.LmerModel ? 'lmer' : 'lm'), json: modelJSON(result), text: printedText(api.summary(result)) };
      }
      return { json: toCloneable(result), text: printedText(result) };
  }
}

function toWireError(e: unknown): WireError['error'] {
  if (e instanceof Error) {
    const extra = e as Error & { code?: unknown; position?: unknown };
    return {
      name: e.name,
      message: e.message,
      code: typeof extra.code === 'string' ? extra.code : undefined,
      position: typeof extra.position === 'number' ? extra.position : undefined,
    };
  }
  return { name: 'Error', message: String(e) };
}
