/**
 * One PIRLS state in a glm engine's memory (assembly/pirls.ts's `pirlsRun`): η₀, η, μ, the linear
 * predictor, u, β and the step-halving copies live in the instance, so a whole PIRLS run (working weights,
 * re-accumulation, factor, solve, step halving, convergence test) is one call with nothing allocated.
 * Several states may share an engine (glmer's initial fit and its stage 1 on the engine with X).
 */
import { ModelError } from '../errors.js';
import type { WasmInstance } from './instance.js';
import type { MixedEngine } from './mixed-engine.js';
// glmer's embedded engine, handed to instance.ts as glmer's code loads (the package's build: nothing)
import './glmer-engine.js';

/** The response side of a GLMM, row by row, as the engine reads it. */
export interface GlmRows {
  readonly family: 'binomial' | 'poisson';
  readonly link: string;
  /** Response (proportions for binomial). */
  readonly y: Float64Array;
  /** Prior weights (× trials for binomial counts). */
  readonly weights: Float64Array;
  /**
   * R's aic() split per row, 4n doubles: the μ-free constant, then (binomial) the successes x, the
   * failures m − x and the trials m (a row with m ≤ 0 does not count); Poisson reads the constant only.
   */
  readonly aic: Float64Array;
}

/** How a run ended (assembly/pirls.ts's PIRLS_* codes). */
export type PirlsStatus = 'ok' | 'notPositiveDefinite' | 'singularX' | 'nan' | 'halvingFailed' | 'maxit';
const STATUS: readonly PirlsStatus[] = ['ok', 'notPositiveDefinite', 'singularX', 'nan', 'halvingFailed', 'maxit'];

/** The end of one run: the Laplace deviance ldL2 + ‖u‖² + aic and its parts (valid when status is 'ok'). */
export interface PirlsRun {
  status: PirlsStatus;
  laplace: number;
  pdev: number;
  ldL2: number;
  sqrL: number;
  /** Weighted least-squares steps taken. */
  steps: number;
}

export class PirlsState {
  readonly n: number;
  readonly q: number;
  readonly p: number;
  private readonly engine: MixedEngine;
  private readonly wasm: WasmInstance;
  private readonly markFactored: (ok: boolean) => void;
  private readonly familyCode: number;
  private readonly linkCode: number;
  private readonly ptr: {
    y: number; wt: number; aic: number; eta0: number; eta: number; mu: number; lin: number; u: number; beta: number;
    offset: number; state: number;
  };

  constructor(engine: MixedEngine, rows: GlmRows, eta0: Float64Array) {
    const handle = engine.glmHandle();
    this.engine = engine;
    this.wasm = handle.wasm;
    this.markFactored = handle.markFactored;
    const n = (this.n = engine.n);
    const q = (this.q = engine.q);
    const p = (this.p = engine.p);
    if (rows.y.length !== n || rows.weights.length !== n || rows.aic.length !== 4 * n || eta0.length !== n) {
      throw new ModelError('PIRLS rows do not match the engine');
    }
    const w = this.wasm;
    this.familyCode = w.constant(`FAMILY_${rows.family.toUpperCase()}`);
    this.linkCode = w.constant(`LINK_${rows.link.toUpperCase()}`);
    // everything is allocated before any view is taken (allocation may grow memory), in memory grown once
    const mapLength = w.glmerExports.pirlsMapLength();
    const cacheLength = w.glmerExports.pirlsCacheLength();
    w.reserve(8 * (17 * n + 3 * q + 2 * p + 1 + cacheLength) + 4 * (17 + mapLength) + 16 * 21);
    const ptr = {
      y: w.allocF64(n), wt: w.allocF64(n), aic: w.allocF64(4 * n), eta0: w.allocF64(n), eta: w.allocF64(n), mu: w.allocF64(n),
      lin: w.allocF64(n), u: w.allocF64(q), beta: w.allocF64(p), offset: w.allocF64(n), state: w.allocI32(17),
    };
    const uPrev = w.allocF64(q);
    const betaPrev = w.allocF64(p);
    const b = w.allocF64(q);
    const sqrtw = w.allocF64(n);
    const dmu = w.allocF64(n);
    const mu0 = w.allocF64(n);
    const dmu0 = w.allocF64(n);
    // the arguments of the aic's logarithms, a pass at a time (+1: the branch-free passes read one past what they wrote)
    const logScratch = w.allocF64(2 * n + 1);
    const positionMap = w.allocI32(mapLength); // scalar terms' accumulation (filled by pirlsStart)
    const firstStep = w.allocF64(cacheLength); // scalar terms' first step at η₀ (filled by the first run)
    this.ptr = ptr;
    w.f64(ptr.y, n).set(rows.y);
    w.f64(ptr.wt, n).set(rows.weights);
    w.f64(ptr.aic, 4 * n).set(rows.aic);
    w.f64(ptr.eta0, n).set(eta0);
    w.i32(ptr.state, 17).set([ptr.eta0, ptr.eta, ptr.mu, ptr.lin, ptr.u, ptr.beta, uPrev, betaPrev, b, sqrtw, dmu, mu0, dmu0, logScratch, positionMap, firstStep, 0]);
    w.glmerExports.defineGlm(this.familyCode, this.linkCode, ptr.y, ptr.wt, ptr.aic);
    w.glmerExports.pirlsStart(ptr.state);
  }

  /** η of the last iterate (a view of engine memory, as are the others: valid until the next allocation). */
  get eta(): Float64Array {
    return this.wasm.f64(this.ptr.eta, this.n);
  }
  get mu(): Float64Array {
    return this.wasm.f64(this.ptr.mu, this.n);
  }
  /** Xβ + ZΛu (without offset) of the last iterate. */
  get linPred(): Float64Array {
    return this.wasm.f64(this.ptr.lin, this.n);
  }
  get u(): Float64Array {
    return this.wasm.f64(this.ptr.u, this.q);
  }
  get beta(): Float64Array {
    return this.wasm.f64(this.ptr.beta, this.p);
  }

  /** The offset's place in engine memory, as a view kept while the memory does not grow (one per evaluation would be garbage). */
  private offsetView: Float64Array | null = null;

  /**
   * The engine's offset buffer (a view, valid until memory grows): an offset written here is not copied
   * again by `run`.
   */
  offsetBuffer(): Float64Array {
    let view = this.offsetView;
    if (view === null || view.buffer !== this.wasm.exports.memory.buffer) view = this.offsetView = this.wasm.f64(this.ptr.offset, this.n);
    return view;
  }

  /** Runs PIRLS at θ with `offset` (n values added to the linear predictor). */
  run(theta: ArrayLike<number>, offset: Float64Array, maxit: number, maxHalvings: number, tol: number): PirlsRun {
    const w = this.wasm;
    const e = w.glmerExports;
    this.engine.setTheta(theta);
    const view = this.offsetBuffer();
    if (offset !== view) view.set(offset);
    e.defineGlm(this.familyCode, this.linkCode, this.ptr.y, this.ptr.wt, this.ptr.aic);
    const code = e.pirlsRun(this.ptr.state, this.q, this.ptr.offset, maxit, maxHalvings, tol);
    const status = STATUS[code];
    this.markFactored(status === 'ok' || status === 'maxit' || status === 'nan' || status === 'halvingFailed');
    return {
      status,
      laplace: (e.pirlsLaplace as WebAssembly.Global).value as number,
      pdev: (e.pirlsPdev as WebAssembly.Global).value as number,
      ldL2: (e.pirlsLdL2 as WebAssembly.Global).value as number,
      sqrL: (e.pirlsSqrL as WebAssembly.Global).value as number,
      steps: (e.pirlsSteps as WebAssembly.Global).value as number,
    };
  }
}
