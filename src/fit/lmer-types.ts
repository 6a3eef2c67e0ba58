/** The plain shapes around an lmer fit: what the fit hands the model, the optimizer's report, timings, ranef tables. */
import type { ConvergenceReport } from './convergence.js';
import type { PreparedModel } from '../design/prepare.js';
import type { RandomTermDesign } from '../design/random-terms.js';
import type { EngineLease } from '../wasm/engine-lease.js';

/** Conditional modes of one grouping factor: a row per level, a column per effect. */
export interface RanefTable {
  levels: string[];
  columns: string[];
  values: number[][];
  /**
   * With `ranef(m, { condVar: true })`: per level, the conditional covariance matrix of its random
   * effects given the data (and β̂), columns × columns — lme4's `attr(, "postVar")`. For a factor with
   * several terms the blocks between different terms are filled in too; lme4 reports only the
   * per-term blocks, which are the diagonal blocks here.
   */
  condVar?: number[][][];
}

/** How the optimizer ended. */
export interface OptimizerInfo {
  name: string;
  evaluations: number;
  converged: boolean;
  message: string;
}

/** Everything `fitLmer` computes, passed to the model's constructor. */
export interface LmerFitParts {
  prepared: PreparedModel;
  terms: RandomTermDesign[];
  /** Names of the X columns kept (rank-deficient ones dropped). */
  fixefNames: string[];
  /** Indices of the kept X columns in the full model matrix. */
  keptColumns: number[];
  reml: boolean;
  theta: Float64Array;
  thetaNames: string[];
  lower: Float64Array;
  beta: Float64Array;
  u: Float64Array;
  b: Float64Array;
  fitted: Float64Array;
  y: Float64Array;
  ldL2: number;
  ldRX2: number;
  pwrss: number;
  sigma: number;
  /** (R_X'R_X)⁻¹, p×p row-major: Var(β̂) = σ²·this. */
  unscaledVcov: Float64Array;
  objective: number;
  optimizer: OptimizerInfo;
  convergence: ConvergenceReport;
  messages: string[];
  warnings: string[];
  fitMs: number;
  timings: FitTimings;
  engine: EngineLease;
}

/** Where the time of a fit went (milliseconds) and the engine's size. */
export interface FitTimings {
  /** The one pass over the observations (building the blocks of A). */
  setupMs: number;
  /** The optimizer's evaluations of the profiled deviance. */
  optimizeMs: number;
  /** Boundary snap, lme4's finite-difference checks and the final solve. */
  checksMs: number;
  /** Order of the dense block factored at each evaluation. */
  denseOrder: number;
  /** WebAssembly memory held by the model. */
  memoryBytes: number;
}
