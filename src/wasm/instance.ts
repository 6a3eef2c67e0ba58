/**
 * Loading the WebAssembly engines. There are two, from the same sources: the lmer engine (assembly/index.ts)
 * and the glmer engine (assembly/glmer.ts), a superset with PIRLS. Both are embedded (src/wasm/generated/,
 * written at install by scripts/build-wasm.mjs): the lmer engine by engine-binary.ts, the glmer engine by
 * glmer-engine-binary.ts, which only glmer's code reaches, so an app without glmer carries the lmer engine
 * alone. In the package's build the browser entries fetch one instead (engine-source.ts): the lmer engine,
 * or the glmer engine where glmer is loaded. Each is compiled once, and instantiated for models: each instance owns its linear memory, which is released with
 * the instance; small instances are reused by later models (instance-pool.ts). Only modules in src/wasm/
 * use this file (and `init`, re-exported by the entries).
 *
 * Compiling: `await init()` compiles asynchronously (WebAssembly.compile), as a page's main thread should;
 * without it the first fit compiles synchronously, which Node and workers may do. Either way a page's
 * Content-Security-Policy must allow 'wasm-unsafe-eval' in script-src, and the engine needs WebAssembly
 * SIMD (Chrome/Edge ≥ 91, Firefox ≥ 90, Safari ≥ 16.4, Node ≥ 16.4).
 */
import { compileEngine, engineBytes } from './engine-binary.js';
import { ENGINE_FILE, GLMER_ENGINE_FILE } from './engine-files.js';
import { EnvironmentError, NumericalError, ResourceError } from '../errors.js';

/** The raw exports of the lmer engine, assembly/index.ts. Pointers and sizes are byte offsets / counts (wasm32). */
export interface EngineExports {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  resetHeap(): void;
  setSimd(on: number): void;
  qrDecompose(x: number, n: number, p: number, tol: number, qraux: number, pivot: number, work: number): number;
  qrQty(x: number, n: number, k: number, qraux: number, y: number): void;
  qrSolveR(x: number, n: number, k: number, qty: number, b: number): void;
  defineModel(
    n: number, p: number, k: number, s: number, nD: number, terms: number, pairs: number, x: number, y: number,
    aDD: number, d: number, denseTerm: number, pos: number, scratch: number, groupScratch: number, rowScale: number,
  ): void;
  setupChainTerm(j: number): void;
  setupDense(): void;
  crossProducts(x: number, y: number, n: number, p: number, xtx: number, xty: number): void;
  shiftResponse(x: number, y: number, n: number, p: number, coef: number, sums: number): void;
  defineSparse(...args: number[]): void;
  sparseEntry(i: number, j: number): number;
  selectedInverse(...args: number[]): void;
  chainInverseTrace(z: number, pairs: number, levelPtr: number): number;
  sparseTrace(obsPos: number, nz: number, z: number, chainOut: number, residual: number, reml: number, va: number, acc: number, zr: number): void;
  minimumDegree(n: number, weight: number, nCliques: number, cliqueStart: number, cliqueMembers: number, order: number): void;
  patternShare(n: number, weight: number, nCliques: number, cliqueStart: number, cliqueMembers: number, budget: number): number;
  factorize(): number;
  profiledDeviance(n: number, reml: number): number;
  solveBetaU(beta: number, u: number): void;
  computeB(u: number, b: number): void;
  computeFitted(beta: number, b: number, fitted: number): void;
  sparseOff(): void;
  ldL2: WebAssembly.Global;
  ldRX2: WebAssembly.Global;
  pwrss: WebAssembly.Global;
  [constant: string]: unknown;
}


/** The glmer engine's exports, assembly/glmer.ts: the lmer engine's and glmer's kernels (PIRLS, the glm families). */
export interface GlmerEngineExports extends EngineExports {
  definePirls(x0: number, z0: number): void;
  weightRows(sqrtw: number): void;
  computeEta(beta: number, b: number, eta: number): void;
  defineGlm(family: number, link: number, y: number, wt: number, aic: number): void;
  pirlsStart(state: number): void;
  pirlsMapLength(): number;
  pirlsCacheLength(): number;
  pirlsRun(state: number, q: number, offset: number, maxit: number, maxHalvings: number, tol: number): number;
  laplaceGradient(tab: number, maxit: number, tol: number): number;
}

/**
 * Which engine a fit needs: 'lmer' (lm, lmer and everything but glmer) is served by either engine, 'glmer'
 * only by the glmer engine, a superset built from the same sources (so an lmer fit's numbers are the same
 * bits in both).
 */
export type EngineKind = 'lmer' | 'glmer';

/**
 * The compiled engines: `lmer` is what lm/lmer fits use (the lmer engine, or the glmer engine when that came
 * first), `glmer` the glmer engine.
 */
const modules: { lmer?: WebAssembly.Module; glmer?: WebAssembly.Module } = {};

/** The embedded glmer engine's bytes, once glmer's code has handed them over (Node, bundlers; glmer-engine.ts). */
let embeddedGlmer: (() => Uint8Array<ArrayBuffer>) | undefined;

/**
 * Called by glmer's code as it loads (glmer-engine.ts), or by a synchronous entry of the package's build: glmer
 * fits may then compile the embedded glmer engine synchronously.
 */
export function provideEmbeddedGlmerEngine(bytes: () => Uint8Array<ArrayBuffer>): void {
  embeddedGlmer = bytes;
}

/** Compiles under way (`init` called again before the first finished), by engine. */
const pending: { lmer?: Promise<void>; glmer?: Promise<void> } = {};

/** Set once a glmer entry has loaded: `init()` then fetches the glmer engine, which serves every fit. */
let glmerWanted = false;

/**
 * Called as lmm-wasm/browser/glmer loads: from then on `init()` (whichever file it is imported from) makes the
 * glmer engine ready, so a page importing both files fits glmer after either's `init()`.
 */
export function wantGlmerEngine(): void {
  glmerWanted = true;
}

/** Whether a compiled module is the glmer engine (it exports PIRLS). */
function servesGlmer(module: WebAssembly.Module): boolean {
  return WebAssembly.Module.exports(module).some((e) => e.name === 'pirlsRun');
}

/**
 * Makes a compiled module an engine: the glmer engine fills the glmer slot, and the lmer slot when `replace`
 * (the caller's own module) or when it is empty; the lmer engine fills the lmer slot.
 */
function adopt(module: WebAssembly.Module, replace: boolean): void {
  if (!servesGlmer(module)) modules.lmer = module;
  else {
    modules.glmer = module;
    if (replace || !modules.lmer) modules.lmer = module;
  }
}

/** A WebAssembly page. */
const PAGE_BYTES = 65536;

/** Room for the engine's static data below its heap (assembly/memory.ts's heapStart lies within it). */
const HEAP_BASE_BYTES = PAGE_BYTES;

/** Allowance in `reserve` for the allocator's 16-byte alignment of each buffer and the static data. */
const RESERVE_SLACK = 2 * PAGE_BYTES;

/** Linear memory a wasm32 instance can address (65536 pages of 64 KiB). */
export const MAX_MEMORY_BYTES = 2 ** 32;

/**
 * The smallest module using a SIMD instruction (a function returning `v128.const 0`): it validates only
 * where WebAssembly SIMD is supported.
 */
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, ...new Array<number>(16).fill(0), 0x0b, // code: v128.const 0; end
]);

function checkEnvironment(): void {
  if (typeof WebAssembly !== 'object') {
    throw new EnvironmentError('NO_WASM', 'this JavaScript engine has no WebAssembly; lmm-wasm needs it (every current browser and Node ≥ 20 have it)');
  }
  if (!WebAssembly.validate(SIMD_PROBE)) {
    throw new EnvironmentError(
      'NO_WASM_SIMD',
      'this JavaScript engine lacks WebAssembly SIMD, which lmm-wasm needs: use Chrome/Edge ≥ 91, Firefox ≥ 90, ' +
        'Safari ≥ 16.4 (iOS ≥ 16.4) or Node ≥ 16.4',
    );
  }
}

/** A compile error caused by a Content-Security-Policy, rethrown with the directive that fixes it. */
function explainCompileError(e: unknown): unknown {
  const message = e instanceof Error ? e.message : String(e);
  if (/unsafe-eval|Content.Security.Policy|CSP/i.test(message)) {
    return new EnvironmentError(
      'WASM_CSP',
      `the page's Content-Security-Policy forbids compiling WebAssembly (${message}); ` +
        "add 'wasm-unsafe-eval' to its script-src directive (e.g. script-src 'self' 'wasm-unsafe-eval')",
    );
  }
  return e;
}

/** The compiled engine a fit of this kind uses, compiling the embedded one synchronously where there is one. */
export function compiledModule(kind: EngineKind): WebAssembly.Module {
  const ready = kind === 'glmer' ? modules.glmer : modules.lmer ?? modules.glmer;
  if (ready) return ready;
  checkEnvironment();
  const bytes = kind === 'glmer' ? glmerBytes() : engineBytes();
  try {
    adopt(new WebAssembly.Module(bytes), false);
  } catch (e) {
    throw explainCompileError(e);
  }
  return compiledModule(kind);
}

/** The embedded glmer engine's bytes; without them (the browser), an error saying how to load that engine. */
function glmerBytes(): Uint8Array<ArrayBuffer> {
  if (embeddedGlmer) return embeddedGlmer();
  // a browser page whose init() fetched the lmer engine only
  if (modules.lmer) {
    throw new EnvironmentError(
      'NO_GLMER_ENGINE',
      `glmer needs the glmer engine (${GLMER_ENGINE_FILE}); this page has only the lmer engine (${ENGINE_FILE}): ` +
        `load lmm-wasm/browser/glmer before \`await init()\`, or call init() again after loading it, or pass init(module) the glmer engine`,
    );
  }
  return engineBytes(); // throws NOT_INITIALIZED: the browser build has no embedded engine
}

/**
 * Compiles the engine asynchronously, so that no fit compiles it synchronously later; call it once
 * before the first fit on a page's main thread (workers and Node may skip it; the browser build, which
 * fetches its engine, needs it everywhere). Checks WebAssembly SIMD
 * support and the page's CSP first, with an `EnvironmentError` saying what is missing.
 *
 * @param module a precompiled engine (e.g. from `WebAssembly.compileStreaming` of a cached copy, or a
 *   module posted from another thread); when omitted, the embedded binary is compiled (the browser
 *   build fetches lmm-wasm.wasm instead, or the glmer engine lmm-wasm-glmer.wasm once lmm-wasm/browser/glmer
 *   is loaded: it serves every fit).
 * @example
 * import { init, lmer, summary } from 'lmm-wasm/browser';
 * await init();
 */
export async function init(module?: WebAssembly.Module): Promise<void> {
  if (module !== undefined) {
    if (!(module instanceof WebAssembly.Module)) {
      throw new EnvironmentError('BAD_WASM_MODULE', 'init(module) takes a compiled WebAssembly.Module (or nothing)');
    }
    adopt(module, true);
    return;
  }
  return loadEngine(glmerWanted ? 'glmer' : 'lmer');
}

/**
 * Compiles the engine a fit of this kind needs, asynchronously, unless it is ready (`init`; the worker calls
 * it before its first glmer fit).
 */
export function loadEngine(kind: EngineKind): Promise<void> {
  if (kind === 'glmer' ? modules.glmer : modules.lmer ?? modules.glmer) return Promise.resolve();
  const load = async (): Promise<void> => {
    try {
      checkEnvironment();
      adopt(await (kind === 'glmer' && embeddedGlmer ? WebAssembly.compile(embeddedGlmer()) : compileEngine(kind)), false);
    } catch (e) {
      throw explainCompileError(e);
    } finally {
      pending[kind] = undefined;
    }
  };
  return (pending[kind] ??= load());
}

/**
 * The compiled engine (compiling it now if needed), e.g. to post it to a worker's `init(module)`: the glmer
 * engine where it is loaded (or wanted), which serves every fit, else the lmer engine.
 */
export function engineModule(): WebAssembly.Module {
  return modules.glmer ?? compiledModule(glmerWanted ? 'glmer' : 'lmer');
}

/** Whether new instances use the f64x2 SIMD kernels (default) or the scalar ones. */
let simdDefault = true;

/** Selects SIMD (true, default) or scalar kernels for instances created from now on. */
export function useSimdKernels(on: boolean): void {
  simdDefault = on;
}

/** Constants read from instances of each compiled module, shared by its instances. */
const constantsByModule = new WeakMap<WebAssembly.Module, Map<string, number>>();

function moduleConstants(module: WebAssembly.Module): Map<string, number> {
  let m = constantsByModule.get(module);
  if (m === undefined) constantsByModule.set(module, (m = new Map()));
  return m;
}

/** Counts since the process started (for the memory bench and tests): instances made, memory grows. */
const stats = { instances: 0, grows: 0 };

/** Engine instances created and linear-memory grows so far in this process. */
export function engineMemoryStats(): { instances: number; grows: number } {
  return { ...stats };
}

/** One instance of the engine with typed access to its memory. */
export class WasmInstance {
  readonly exports: EngineExports;

  /** The compiled engine this is an instance of (instance-pool.ts reuses instances of the same one). */
  readonly module: WebAssembly.Module;

  /** End of the last allocation since the last reset (bytes; what the memory holds in use, not its size). */
  #top = 0;

  /** The module's constants read so far (a Global's value is a slow call; these never change). */
  readonly #constants: Map<string, number>;

  /** An instance of `module` (`compiledModule(kind)`). */
  constructor(module: WebAssembly.Module) {
    this.module = module;
    this.#constants = moduleConstants(module);
    const instance = new WebAssembly.Instance(module, {
      env: {
        abort(): never {
          throw new NumericalError(
            'the WebAssembly engine ran out of memory (a wasm32 instance holds at most 4 GiB, and the host may ' +
              'allow less); the model is too large for this engine',
          );
        },
      },
    });
    this.exports = instance.exports as unknown as EngineExports;
    this.exports.setSimd(simdDefault ? 1 : 0);
    stats.instances++;
  }

  /** glmer's exports, for an instance of the glmer engine (instance-pool.ts hands glmer fits only those). */
  get glmerExports(): GlmerEngineExports {
    if (typeof (this.exports as Partial<GlmerEngineExports>).pirlsRun !== 'function') {
      throw new EnvironmentError('NO_GLMER_ENGINE', `this engine instance is of the lmer engine (${ENGINE_FILE}), which has no PIRLS; glmer needs ${GLMER_ENGINE_FILE}`);
    }
    return this.exports as GlmerEngineExports;
  }

  /**
   * Readies the instance for a new model: frees every allocation (the allocator zeroes what it hands out
   * again) and selects the kernels of `useSimdKernels`. The module's other globals are set by whichever
   * define* call the new model makes (instance-pool.ts pools only instances whose models reset all of them).
   */
  reset(): void {
    this.exports.resetHeap();
    this.exports.sparseOff();
    this.exports.setSimd(simdDefault ? 1 : 0);
    this.#top = 0;
  }

  /**
   * Grows the memory in one step so that `bytes` more can be allocated without growing it again (a model's
   * setup knows most of what it will allocate; growing once beats growing buffer by buffer). Does nothing
   * when the memory is already large enough, or when the request exceeds what wasm32 addresses (the
   * allocation itself then reports it).
   */
  reserve(bytes: number): void {
    const want = this.#top + bytes + RESERVE_SLACK;
    const have = this.memoryBytes;
    if (want <= have || want > MAX_MEMORY_BYTES) return;
    const pages = Math.ceil((want - have) / PAGE_BYTES);
    try {
      this.exports.memory.grow(pages);
      stats.grows++;
    } catch (e) {
      // the host refused this much at once (RangeError): allocations then grow the memory as they need it,
      // and report a real shortage themselves
      if (!(e instanceof RangeError)) throw e;
    }
  }

  /** Allocates `len` zeroed doubles; returns the byte offset. */
  allocF64(len: number): number {
    return this.alloc(Math.max(1, len) * 8);
  }

  /** Allocates `len` zeroed 32-bit integers; returns the byte offset. */
  allocI32(len: number): number {
    return this.alloc(Math.max(1, len) * 4);
  }

  /** Byte sizes past the 32-bit address space would wrap around on their way into the engine: refuse them. */
  private alloc(bytes: number): number {
    const top = Math.max(this.#top, HEAP_BASE_BYTES);
    if (top + bytes > MAX_MEMORY_BYTES) {
      throw new ResourceError(
        `the model needs more than the 4 GiB a WebAssembly (wasm32) instance can address ` +
          `(one buffer alone is ${bytes} bytes, ${(bytes / 2 ** 30).toFixed(1)} GiB); the model is too large for this engine`,
        top + bytes,
      );
    }
    const before = this.memoryBytes;
    const ptr = this.exports.alloc(bytes) >>> 0; // addresses past 2 GiB come back as negative i32
    if (this.memoryBytes !== before) stats.grows++;
    this.#top = ptr + bytes;
    return ptr;
  }

  /** A view of `len` doubles at `ptr`. Views are invalidated by later allocations: take them afresh. */
  f64(ptr: number, len: number): Float64Array {
    return new Float64Array(this.exports.memory.buffer, ptr, len);
  }

  /** A view of `len` 32-bit integers at `ptr` (same caveat as `f64`). */
  i32(ptr: number, len: number): Int32Array {
    return new Int32Array(this.exports.memory.buffer, ptr, len);
  }

  /** The value of an exported i32 constant of assembly/model.ts (e.g. `T_NLEV`). */
  constant(name: string): number {
    let known = this.#constants.get(name);
    if (known === undefined) {
      const g = this.exports[name];
      if (!(g instanceof WebAssembly.Global)) throw new Error(`engine constant ${name} is missing`);
      known = g.value as number;
      this.#constants.set(name, known);
    }
    return known;
  }

  /** Bytes of linear memory in use by this instance. */
  get memoryBytes(): number {
    return this.exports.memory.buffer.byteLength;
  }
}
