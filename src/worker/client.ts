/**
 * The caller's side of `lmm-wasm/worker`: the package's functions, async, run in a worker. Fitted models
 * stay in the worker; the caller gets a `RemoteModel` (a handle carrying the model's plain JSON and R's
 * printed summary) to pass to later calls (`summary`, `anova`, `confint`, ...), whose results come back as
 * `RemoteResult`s: the result's plain data as fields, `toString()` giving the text R prints. Numbers are
 * structured-cloned, so they equal the synchronous API's bit for bit.
 *
 * `onProgress` in an options argument hears the optimizer (throttled to ~20 messages a second); `signal`
 * cancels: the worker is terminated at once (a fit cannot be interrupted otherwise) and a fresh one starts
 * on the next call, so models fitted before the cancel are gone with it.
 */
import * as Comlink from 'comlink/dist/esm/comlink.mjs';
import type { Remote } from 'comlink';
import * as errors from '../errors.js';
import type { FitProgress } from '../fit/progress.js';
import type { CallShape, DataRef, WireError, WireModel, WireValue, WorkerService } from './protocol.js';

/**
 * The message port a worker is reached through: a Web Worker, a MessagePort, or comlink's node-adapter around a
 * worker_thread. Declared here (the shape of comlink's Endpoint) because comlink is bundled, not a dependency, so
 * the package's declarations cannot import its types.
 */
export interface WorkerEndpoint {
  postMessage(message: unknown, transfer?: unknown[]): void;
  addEventListener(type: string, listener: unknown, options?: object): void;
  removeEventListener(type: string, listener: unknown, options?: object): void;
  start?: () => void;
}

/** A started worker: its message endpoint and how to stop it (and, in Node, let the process exit while idle). */
export interface WorkerHost {
  endpoint: WorkerEndpoint;
  terminate(): void;
  /** Keep the process alive while calls are pending (Node's worker_threads). */
  ref?(): void;
  /** Let the process exit while no call is pending. */
  unref?(): void;
}

/**
 * Starts one worker running `thread-browser.js` / `thread-node.js`; `onError` hears a worker that failed to
 * load or crashed (its pending calls are then rejected with that error).
 */
export type SpawnWorker = (onError: (error: Error) => void) => WorkerHost;

/** A result computed in the worker: its plain data as fields; `toString()` is what R prints. */
export class RemoteResult {
  readonly #json: unknown;
  readonly #text: string;
  [field: string]: unknown;
  constructor(json: unknown, text: string) {
    this.#json = json;
    this.#text = text;
    if (json !== null && typeof json === 'object' && !Array.isArray(json)) Object.assign(this, json);
  }
  /** The text R prints for this result ('' if it has no print form). */
  toString(): string {
    return this.#text;
  }
  /** The result's plain data, as the synchronous API's `toJSON()` / JSON helpers give it. */
  toJSON(): unknown {
    return this.#json;
  }
  /** `console.log` in Node shows R's text. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.#text;
  }
}

/** A model fitted in a worker: its plain JSON as fields, `toString()` = R's printed summary. */
export class RemoteModel extends RemoteResult {
  /** The handle the worker knows the model by. */
  readonly $model: number;
  /** 'lm' or 'lmer' (or 'glmer'). */
  declare readonly kind: string;
  readonly #generation: number;
  /** Built by the worker client from the worker's answer; not a public constructor. @internal */
  constructor(wire: WireModel, generation: number) {
    super(wire.json, wire.text);
    this.$model = wire.$model;
    this.#generation = generation;
  }
  /** The worker generation holding the model: a cancel (terminate) loses it. */
  get generation(): number {
    return this.#generation;
  }
}

/** A table uploaded into the worker once, for several fits (pass it as the data argument). */
export interface RemoteData extends DataRef {
  /** The worker generation holding the table: a cancel (terminate) loses it. */
  readonly generation: number;
}

type ErrorClass = new (...args: never[]) => Error;

/** Rebuilds the typed error the worker threw (same class, code, message and caret position). */
function rebuildError(wire: WireError['error']): Error {
  const Class = (errors as unknown as Record<string, ErrorClass>)[wire.name];
  const e: Error = typeof Class === 'function' && Class.prototype instanceof Error ? Object.create(Class.prototype) : new Error();
  Object.assign(e, { message: wire.message, name: wire.name });
  if (wire.code !== undefined) Object.defineProperty(e, 'code', { value: wire.code, enumerable: true });
  if (wire.position !== undefined) Object.defineProperty(e, 'position', { value: wire.position, enumerable: true });
  Object.defineProperty(e, 'stack', { value: `${wire.name}: ${wire.message}\n    (thrown in the lmm-wasm worker)`, configurable: true });
  return e;
}

function isWireError(x: unknown): x is WireError {
  return typeof x === 'object' && x !== null && 'error' in x;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype;
}

/** The ArrayBuffers under the typed-array columns of a columns object, to transfer rather than copy. */
function columnBuffers(data: unknown): ArrayBuffer[] {
  if (!isPlainObject(data)) return [];
  const out = new Set<ArrayBuffer>();
  for (const v of Object.values(data)) {
    if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer) out.add(v.buffer);
  }
  return [...out];
}

/**
 * The package's functions running in one worker. Calls run one after another in the worker, in the order made.
 *
 * @example
 * const w = new LmmWorker(spawn);
 * const m = await w.lmer('Reaction ~ Days + (Days | Subject)', rows, { onProgress: (p) => bar(p.evaluations) });
 * console.log(String(m));                  // R's summary
 * console.log(String(await w.anova(m)));   // lmerTest's type III table
 */
export class LmmWorker {
  readonly #spawn: SpawnWorker;
  #host: WorkerHost | undefined;
  #service: Remote<WorkerService> | undefined;
  #generation = 0;

  /** Increases each time the worker is terminated (by `terminate()` or a cancel): older handles are void. */
  get generation(): number {
    return this.#generation;
  }
  #pending = 0;

  constructor(spawn: SpawnWorker) {
    this.#spawn = spawn;
  }

  #started(): Remote<WorkerService> {
    if (!this.#service) {
      const generation = this.#generation;
      this.#host = this.#spawn((error) => {
        if (generation === this.#generation) this.terminate(error);
      });
      this.#service = Comlink.wrap<WorkerService>(this.#host.endpoint);
      this.#host.unref?.();
    }
    return this.#service;
  }

  /** Stops the worker now; pending calls are rejected, its models are gone, the next call starts a new one. */
  terminate(reason: unknown = new errors.OptionError('the lmm-wasm worker was terminated')): void {
    const host = this.#host;
    this.#host = undefined;
    if (this.#service) this.#service[Comlink.releaseProxy]();
    this.#service = undefined;
    this.#generation++;
    host?.terminate();
    for (const reject of this.#rejects) reject(reason);
    this.#rejects.clear();
  }

  readonly #rejects = new Set<(reason: unknown) => void>();

  async #track<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    signal?.throwIfAborted();
    this.#pending++;
    if (this.#pending === 1) this.#host?.ref?.();
    let reject!: (reason: unknown) => void;
    const stopped = new Promise<never>((_, r) => (reject = r));
    this.#rejects.add(reject);
    const onAbort = (): void => this.terminate(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await Promise.race([work, stopped]);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.#rejects.delete(reject);
      this.#pending--;
      if (this.#pending === 0) this.#host?.unref?.();
    }
  }

  #checkHandles(x: unknown): void {
    if (x instanceof RemoteModel || (typeof x === 'object' && x !== null && '$data' in x && 'generation' in x)) {
      if ((x as { generation: number }).generation !== this.#generation) {
        throw new errors.OptionError(
          'this model (or uploaded table) belonged to a worker that has since been terminated (by a cancel): fit it again',
        );
      }
    }
    if (Array.isArray(x)) x.forEach((v) => this.#checkHandles(v));
    else if (isPlainObject(x)) Object.values(x).forEach((v) => this.#checkHandles(v));
  }

  /** Replaces RemoteModels by their handles so that only plain data is cloned. */
  #wireArg(x: unknown): unknown {
    if (x instanceof RemoteModel) return { $model: x.$model };
    if (Array.isArray(x)) return x.map((v) => this.#wireArg(v));
    if (isPlainObject(x)) {
      if (typeof x.$data === 'number') return { $data: x.$data }; // an uploaded table
      return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, this.#wireArg(v)]));
    }
    return x;
  }

  /**
   * Calls the exported function `name` in the worker. `onProgress` and `signal` are taken from a plain
   * options argument (they cannot be cloned): progress is relayed, abort terminates the worker.
   */
  async call(name: string, ...args: unknown[]): Promise<RemoteModel | RemoteResult> {
    this.#checkHandles(args);
    let signal: AbortSignal | undefined;
    let onProgress: ((p: FitProgress) => void) | undefined;
    const shape: CallShape = { progressArg: -1 };
    const wire = args.map((a, i) => {
      if (isPlainObject(a) && ('onProgress' in a || 'signal' in a)) {
        const { onProgress: progress, signal: s, ...rest } = a as { onProgress?: (p: FitProgress) => void; signal?: AbortSignal };
        if (progress) {
          onProgress = progress;
          shape.progressArg = i;
        }
        signal = s;
        return this.#wireArg(rest);
      }
      return this.#wireArg(a);
    });
    signal?.throwIfAborted();
    const service = this.#started();
    const generation = this.#generation;
    // progress messages still in flight when the call settles (or is cancelled) are dropped
    let settled = false;
    const relay = onProgress && ((p: FitProgress): void => void (settled || signal?.aborted || onProgress!(p)));
    let result: WireModel | WireValue | WireError;
    try {
      result = await this.#track(
        service.call(name, wire, shape, relay ? Comlink.proxy(relay) : undefined) as Promise<WireModel | WireValue | WireError>,
        signal,
      );
    } finally {
      settled = true;
    }
    if (isWireError(result)) throw rebuildError(result.error);
    if ('$model' in result) return new RemoteModel(result, generation);
    return new RemoteResult(result.json, result.text);
  }

  /**
   * Types `data` into a table held by the worker, for several fits without copying it each time: rows,
   * columns, a DataTable, or CSV text (parsed in the worker, so a large file never blocks the page;
   * `options` as parseCsv's, e.g. `{ schema }`). Typed-array columns of a columns object are transferred,
   * not copied: the caller's arrays are detached afterwards.
   */
  async upload(data: unknown, options: Record<string, unknown> = {}): Promise<RemoteData> {
    const service = this.#started();
    const generation = this.#generation;
    const buffers = columnBuffers(data);
    const ref = await this.#track(
      service.upload(buffers.length > 0 ? Comlink.transfer(data, buffers) : data, options) as Promise<DataRef | WireError>,
      undefined,
    );
    if (isWireError(ref)) throw rebuildError(ref.error);
    return { ...ref, generation };
  }

  /** Frees models (or uploaded tables) held by the worker. */
  async release(...handles: (RemoteModel | RemoteData)[]): Promise<void> {
    if (!this.#service) return;
    const ids = handles.filter((h) => h.generation === this.#generation).map((h) => ('$model' in h ? (h as RemoteModel).$model : h.$data));
    await this.#service.release(ids);
  }

  /** R's lm(formula, data), fitted in the worker. */
  lm(formula: string, data: unknown, options?: Record<string, unknown>): Promise<RemoteModel> {
    return this.call('lm', formula, data, options ?? {}) as Promise<RemoteModel>;
  }

  /** lme4's lmer(formula, data, REML), fitted in the worker; `onProgress` / `signal` in the options. */
  lmer(formula: string, data: unknown, options?: Record<string, unknown>): Promise<RemoteModel> {
    return this.call('lmer', formula, data, options ?? {}) as Promise<RemoteModel>;
  }

  /** R's print(summary(m)) as `toString()`. */
  summary(model: RemoteModel, options?: Record<string, unknown>): Promise<RemoteResult> {
    return this.call('summary', model, options ?? {}) as Promise<RemoteResult>;
  }

  /** lmerTest's type III table of one model, or lme4's likelihood-ratio comparison of several. */
  anova(...models: (RemoteModel | Record<string, RemoteModel>)[]): Promise<RemoteResult> {
    return this.call('anova', ...models) as Promise<RemoteResult>;
  }

  /** lmerTest's ranova(m). */
  ranova(model: RemoteModel): Promise<RemoteResult> {
    return this.call('ranova', model) as Promise<RemoteResult>;
  }

  /** lmerTest's ls_means(m). */
  lsMeans(model: RemoteModel, options?: Record<string, unknown>): Promise<RemoteResult> {
    return this.call('lsMeans', model, options ?? {}) as Promise<RemoteResult>;
  }

  /** lme4's confint(m) (profile by default). */
  confint(model: RemoteModel, options?: Record<string, unknown>): Promise<RemoteResult> {
    return this.call('confint', model, options ?? {}) as Promise<RemoteResult>;
  }

  /** Fixed effects by name. */
  fixef(model: RemoteModel): Promise<RemoteResult> {
    return this.call('fixef', model) as Promise<RemoteResult>;
  }

  /** Conditional modes of the random effects. */
  ranef(model: RemoteModel, options?: Record<string, unknown>): Promise<RemoteResult> {
    return this.call('ranef', model, options ?? {}) as Promise<RemoteResult>;
  }

  /** lme4's VarCorr(m). */
  varCorr(model: RemoteModel): Promise<RemoteResult> {
    return this.call('varCorr', model) as Promise<RemoteResult>;
  }

  /** @deprecated Renamed `varCorr` (0.2.0), as in the main entry; this alias goes in 0.3.0. */
  VarCorr(model: RemoteModel): Promise<RemoteResult> {
    return this.varCorr(model);
  }

  /**
   * The plain data of one diagnostic plot of a model in the worker (lmm-wasm/plot's `plotData`), to draw
   * on the caller's side with `drawPlot` from lmm-wasm/plot (or dist/browser/lmm-wasm-plot.js). 'profile'
   * refits the model along each parameter; `signal` in the options cancels it.
   */
  plotData(kind: 'caterpillar' | 'residuals' | 'qq' | 'profile', model: RemoteModel, options?: Record<string, unknown>): Promise<RemoteResult> {
    return this.call('plotData', kind, model, options ?? {}) as Promise<RemoteResult>;
  }
}

/** The functions of one lazily started, shared worker, for an entry's top-level exports. */
export function sharedWorkerFunctions(start: () => LmmWorker) {
  let shared: LmmWorker | undefined;
  const w = (): LmmWorker => (shared ??= start());
  return {
    lm: ((...a) => w().lm(...a)) as LmmWorker['lm'],
    lmer: ((...a) => w().lmer(...a)) as LmmWorker['lmer'],
    summary: ((...a) => w().summary(...a)) as LmmWorker['summary'],
    anova: ((...a) => w().anova(...a)) as LmmWorker['anova'],
    ranova: ((...a) => w().ranova(...a)) as LmmWorker['ranova'],
    lsMeans: ((...a) => w().lsMeans(...a)) as LmmWorker['lsMeans'],
    confint: ((...a) => w().confint(...a)) as LmmWorker['confint'],
    fixef: ((...a) => w().fixef(...a)) as LmmWorker['fixef'],
    ranef: ((...a) => w().ranef(...a)) as LmmWorker['ranef'],
    varCorr: ((...a) => w().varCorr(...a)) as LmmWorker['varCorr'],
    /** @deprecated Renamed `varCorr` (0.2.0); this alias goes in 0.3.0. */
    VarCorr: ((...a) => w().varCorr(...a)) as LmmWorker['varCorr'],
    plotData: ((...a) => w().plotData(...a)) as LmmWorker['plotData'],
    call: ((...a) => w().call(...a)) as LmmWorker['call'],
    upload: ((...a) => w().upload(...a)) as LmmWorker['upload'],
    /** Stops the shared worker (a later call starts a new one). */
    terminate: (): void => shared?.terminate(),
  };
}
