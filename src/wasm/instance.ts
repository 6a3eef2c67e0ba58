/**
 * Loading the WebAssembly engine. The binary is embedded (src/wasm/generated/engine-binary.ts, written at
 * install by scripts/build-wasm.mjs; in the package's build the browser entries fetch it instead:
 * engine-source.ts),
 * compiled once, and instantiated for models: each instance owns its linear memory, which is released with
 * the instance; small instances are reused by later models (instance-pool.ts). Only modules in src/wasm/
 * use this file (and `init`, re-exported by the entries).
 *
 * Compiling: `await init()` compiles asynchronously (WebAssembly.compile), as a page's main thread should;
 * without it the first fit compiles synchronously, which Node and workers may do. Either way a page's
 * Content-Security-Policy must allow 'wasm-unsafe-eval' in script-src, and the engine needs WebAssembly
 * SIMD (Chrome/Edge ≥ 91, Firefox ≥ 90, Safari ≥ 16.4, Node ≥ 16.4).
 */
import { compileEngine, engineBytes } from './engine-binary.js';
import { EnvironmentError, NumericalError, ResourceError } from '../errors.js';

/** The raw exports of assembly/index.ts. Pointers and sizes are byte offsets / counts (wasm32). */
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
  sparseTrace(obsPos: number, nz: number, z: number, chainOut: number, residual: number, reml: number, va: number, acc: number, zr: number): void;
  minimumDegree(n: number, weight: number, nCliques: number, cliqueStart: number, cliqueMembers: number, order: number): void;
  factorize(): number;
  profiledDeviance(n: number, reml: number): number;
  solveBetaU(beta: number, u: number): void;
  computeB(u: number, b: number): void;
  computeFitted(beta: number, b: number, fitted: number): void;
  definePirls(x0: number, z0: number): void;
  sparseOff(): void;
  weightRows(sqrtw: number): void;
  computeEta(beta: number, b: number, eta: number): void;
  defineGlm(family: number, link: number, y: number, wt: number, aic: number): void;
  pirlsStart(state: number): void;
  pirlsMapLength(): number;
  pirlsCacheLength(): number;
  pirlsRun(state: number, q: number, offset: number, maxit: number, maxHalvings: number, tol: number): number;
  ldL2: WebAssembly.Global;
  ldRX2: WebAssembly.Global;
  pwrss: WebAssembly.Global;
  [constant: string]: unknown;
}

let compiled: WebAssembly.Module | undefined;

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

function compiledModule(): WebAssembly.Module {
  if (!compiled) {
    checkEnvironment();
    try {
      compiled = new WebAssembly.Module(engineBytes());
    } catch (e) {
      throw explainCompileError(e);
    }
  }
  return compiled;
}

/**
 * Compiles the engine asynchronously, so that no fit compiles it synchronously later; call it once
 * before the first fit on a page's main thread (workers and Node may skip it; the browser build, which
 * fetches its engine, needs it everywhere). Checks WebAssembly SIMD
 * support and the page's CSP first, with an `EnvironmentError` saying what is missing.
 *
 * @param module a precompiled engine (e.g. from `WebAssembly.compileStreaming` of a cached copy, or a
 *   module posted from another thread); when omitted, the embedded binary is compiled (the browser
 *   build fetches lmm-wasm.wasm instead).
 * @example
 * import { init, lmer, summary } from 'lmm-wasm/browser';
 * await init();
 */
export async function init(module?: WebAssembly.Module): Promise<void> {
  if (module !== undefined) {
    if (!(module instanceof WebAssembly.Module)) {
      throw new EnvironmentError('BAD_WASM_MODULE', 'init(module) takes a compiled WebAssembly.Module (or nothing)');
    }
    compiled = module;
    return;
  }
  if (compiled) return;
  checkEnvironment();
  try {
    compiled ??= await compileEngine();
  } catch (e) {
    throw explainCompileError(e);
  }
}

/** The compiled engine (compiling it now if needed), e.g. to post it to a worker's `init(module)`. */
export function engineModule(): WebAssembly.Module {
  return compiledModule();
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

  /** End of the last allocation since the last reset (bytes; what the memory holds in use, not its size). */
  #top = 0;

  /** The module's constants read so far (a Global's value is a slow call; these never change). */
  readonly #constants: Map<string, number>;

  constructor() {
    const module = compiledModule();
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
