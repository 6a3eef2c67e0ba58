/**
 * PIRLS as lme4's pwrssUpdate: at fixed θ (and fixed β, via the offset, when the engine has no X), iterate
 * weighted penalized least squares on the working response until the penalized deviance Σ devresid + ‖u‖²
 * changes by less than `tol` relative; halve the step (toward the previous iterate) while it rises. A whole
 * run is one call into the WASM engine (src/wasm/pirls-state.ts, assembly/pirls.ts): μ, the weights, the
 * working response, the re-accumulation, factor and solve all stay there, with no allocation per step.
 * Each evaluation starts from the same linear predictor η₀ (lme4's lp0), so the deviance is a function of
 * the parameters alone.
 */
import { NumericalError } from '../errors.js';
import type { MixedEngine } from '../wasm/mixed-engine.js';
import { PirlsState } from '../wasm/pirls-state.js';
import type { Family } from './family.js';
import type { GaussHermiteRule } from './gauss-hermite.js';
import { exp, log } from '../stats/portable-math.js';

/** lme4's PIRLS limits (maxit = 100 from mkdevfun, 20 step halvings, tolPwrss = 1e-7). */
export const PIRLS_MAXIT = 100;
const MAX_HALVINGS = 20;
export const PIRLS_TOL = 1e-7;

/** The state at the end of one PIRLS run. */
export interface PirlsResult {
  /** The Laplace deviance ldL2 + ‖u‖² + aic (−2 log L, lme4's glmerLaplace). */
  laplace: number;
  /** Σ deviance residuals + ‖u‖². */
  pdev: number;
  ldL2: number;
  sqrL: number;
  /** Number of weighted least-squares steps taken. */
  steps: number;
}

/** The response side of a GLMM on the model frame's rows. */
export interface GlmData {
  readonly family: Family;
  readonly y: Float64Array;
  /** Prior weights (× trials for binomial counts). */
  readonly weights: Float64Array;
  /** Trials (R's n) for the binomial aic. */
  readonly trials: Float64Array;
}

/** The family's per-row aic terms of each response (lgamma sums): computed once for all the PIRLS problems on it. */
const aicRowsOf = new WeakMap<GlmData, Float64Array>();

function aicRows(data: GlmData): Float64Array {
  let rows = aicRowsOf.get(data);
  if (rows === undefined) {
    rows = data.family.aicRows(data.y, data.trials, data.weights);
    aicRowsOf.set(data, rows);
  }
  return rows;
}

/** One PIRLS problem bound to an engine (which holds Z and, unless β enters by the offset, X). */
export class Pirls {
  readonly n: number;
  readonly q: number;
  readonly p: number;
  /** Total steps over all runs (for ms per step). */
  totalSteps = 0;
  private readonly engine: MixedEngine;
  private readonly data: GlmData;
  private readonly state: PirlsState;

  constructor(engine: MixedEngine, data: GlmData, eta0: Float64Array) {
    this.engine = engine;
    this.data = data;
    this.n = engine.n;
    this.q = engine.q;
    this.p = engine.p;
    const { family, y, weights } = data;
    this.state = new PirlsState(engine, { family: family.family, link: family.link.name, y, weights, aic: aicRows(data) }, eta0);
  }

  /** η of the last iterate (views of engine memory, here and below: copy what must outlive the next run). */
  get eta(): Float64Array {
    return this.state.eta;
  }
  get mu(): Float64Array {
    return this.state.mu;
  }
  get u(): Float64Array {
    return this.state.u;
  }
  get beta(): Float64Array {
    return this.state.beta;
  }
  /** The linear predictor without offset of the current iterate (Xβ + ZΛu). */
  get linPred(): Float64Array {
    return this.state.linPred;
  }

  /** Where the next run's offset may be written in place (engine memory; see PirlsState.offsetBuffer). */
  offsetBuffer(): Float64Array {
    return this.state.offsetBuffer();
  }

  /**
   * Runs PIRLS at θ with the given offset (the base offset, plus Xβ in the second stage, where the
   * engine has no X); null where Λ'Z'WZΛ + I is not positive definite. Throws a NumericalError as lme4
   * does when step halving cannot lower the deviance.
   */
  run(theta: ArrayLike<number>, offset: Float64Array): PirlsResult | null {
    const r = this.state.run(theta, offset, PIRLS_MAXIT, MAX_HALVINGS, PIRLS_TOL);
    switch (r.status) {
      case 'ok':
        this.totalSteps += r.steps;
        return { laplace: r.laplace, pdev: r.pdev, ldL2: r.ldL2, sqrL: r.sqrL, steps: r.steps };
      case 'notPositiveDefinite':
        return null;
      case 'singularX':
        throw new NumericalError('the fixed-effects part became singular while factoring (X is numerically rank deficient)');
      case 'nan':
        throw new NumericalError('PIRLS loop resulted in NaN value');
      case 'halvingFailed':
        throw new NumericalError('(maxstephalfit) PIRLS step-halvings failed to reduce deviance in pwrssUpdate');
      case 'maxit':
        this.totalSteps += r.steps;
        throw new NumericalError(`pwrssUpdate did not converge in (maxit) iterations (${PIRLS_MAXIT})`);
    }
  }

  /**
   * Factors `engine` (which may be another engine on the same rows, e.g. one holding X) with the
   * working weights of the current μ at θ: its R_X then gives lme4's unscaled vcov at the optimum.
   */
  refreshFactor(engine: MixedEngine, theta: ArrayLike<number>): boolean {
    const { family, y, weights } = this.data;
    const link = family.link;
    const eta = Float64Array.from(this.eta);
    const mu = Float64Array.from(this.mu);
    const sqrtw = new Float64Array(this.n);
    const z = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++) {
      const d = link.muEta(eta[i]);
      sqrtw[i] = Math.sqrt((weights[i] * d * d) / family.variance(mu[i]));
      z[i] = eta[i] + (y[i] - mu[i]) / d;
    }
    engine.reweight(sqrtw, z);
    return engine.evaluate(theta) !== null;
  }

  /**
   * lme4's glmerAGQ after a `run` at the same θ and offset, for a single scalar random-effects term
   * with level `codes`: each level's Laplace factor is replaced by a Gauss–Hermite sum over u_j + z·sd_j
   * (sd_j = 1 / L_jj), and the deviance is Σ_j (u_j² + Σ devresid) + log|L|² − 2 Σ_j log(sum_j).
   */
  agq(rule: GaussHermiteRule, codes: Int32Array, offset: Float64Array, ldL2: number): number {
    const { family, y, weights } = this.data;
    const link = family.link;
    const q = this.q;
    const L = this.engine.chainDiagonalBlocks(0);
    const devc = (u: Float64Array, lin: Float64Array, out: Float64Array): void => {
      for (let j = 0; j < q; j++) out[j] = u[j] * u[j];
      for (let i = 0; i < this.n; i++) out[codes[i]] += family.devResid(y[i], link.linkinv(offset[i] + lin[i]), weights[i]);
    };
    const u0 = Float64Array.from(this.u);
    const beta = Float64Array.from(this.beta);
    const devc0 = new Float64Array(q);
    devc(u0, this.linPred, devc0);
    const mult = new Float64Array(q);
    const ut = new Float64Array(q);
    const dk = new Float64Array(q);
    const sqrt2pi = Math.sqrt(2 * Math.PI);
    for (let k = 0; k < rule.z.length; k++) {
      const z = rule.z[k];
      if (z === 0) {
        for (let j = 0; j < q; j++) mult[j] += rule.w[k];
        continue;
      }
      for (let j = 0; j < q; j++) ut[j] = u0[j] + z / L[j];
      devc(ut, this.engine.linearPredictor(beta, ut), dk);
      for (let j = 0; j < q; j++) mult[j] += (exp(-0.5 * (dk[j] - devc0[j]) - rule.ldnorm[k]) * rule.w[k]) / sqrt2pi;
    }
    let total = ldL2;
    for (let j = 0; j < q; j++) total += devc0[j] - 2 * log(mult[j]);
    return total;
  }
}
