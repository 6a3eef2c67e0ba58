/**
 * PIRLS as lme4's pwrssUpdate: at fixed θ (and fixed β, via the offset, when `uOnly`), iterate weighted
 * penalized least squares on the working response until the penalized deviance Σ devresid + ‖u‖² changes
 * by less than `tol` relative; halve the step (toward the previous iterate) while it rises. The weighted
 * system is accumulated, factored and solved in the WASM engine; this loop computes μ, the weights and
 * the working response (O(n) per step, no allocation per step). Each evaluation starts from the same
 * linear predictor η₀ (lme4's lp0), so the deviance is a function of the parameters alone.
 */
import { NumericalError } from '../errors.js';
import type { MixedEngine } from '../wasm/mixed-engine.js';
import type { Family } from './family.js';
import type { GaussHermiteRule } from './gauss-hermite.js';

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

/** One PIRLS problem bound to an engine (which holds Z and, unless `uOnly`, X). */
export class Pirls {
  readonly n: number;
  readonly q: number;
  readonly p: number;
  /** Total steps over all runs (for ms per step). */
  totalSteps = 0;
  private readonly engine: MixedEngine;
  private readonly data: GlmData;
  /** η at the start of every run (lme4's lp0 plus the base offset). */
  readonly eta0: Float64Array;
  readonly eta: Float64Array;
  readonly mu: Float64Array;
  private readonly sqrtw: Float64Array;
  private readonly z: Float64Array;
  readonly u: Float64Array;
  readonly beta: Float64Array;
  private readonly uPrev: Float64Array;
  private readonly betaPrev: Float64Array;
  /** The linear predictor without offset of the current iterate (Xβ + ZΛu). */
  readonly linPred: Float64Array;
  /** The μ-free terms of the family's aic, once. */
  private readonly aicConstants: Float64Array;

  constructor(engine: MixedEngine, data: GlmData, eta0: Float64Array) {
    this.engine = engine;
    this.data = data;
    this.n = engine.n;
    this.q = engine.q;
    this.p = engine.p;
    this.eta0 = Float64Array.from(eta0);
    this.eta = new Float64Array(this.n);
    this.mu = new Float64Array(this.n);
    this.sqrtw = new Float64Array(this.n);
    this.z = new Float64Array(this.n);
    this.linPred = new Float64Array(this.n);
    this.u = new Float64Array(this.q);
    this.beta = new Float64Array(this.p);
    this.uPrev = new Float64Array(this.q);
    this.betaPrev = new Float64Array(this.p);
    this.aicConstants = data.family.aicConstants(data.y, data.trials, data.weights);
  }


  private sqrLength(): number {
    let s = 0;
    for (let j = 0; j < this.q; j++) s += this.u[j] * this.u[j];
    return s;
  }

  /** η = offset + lin and μ = g⁻¹(η) for the new iterate; returns Σ deviance residuals (one fused pass). */
  private update(offset: Float64Array, lin: Float64Array): number {
    const { y, weights } = this.data;
    const linkinv = this.data.family.link.linkinv;
    const devResid = this.data.family.devResid;
    const { linPred, eta, mu } = this;
    let s = 0;
    for (let i = 0; i < this.n; i++) {
      const l = lin[i];
      const e = offset[i] + l;
      const m = linkinv(e);
      linPred[i] = l;
      eta[i] = e;
      mu[i] = m;
      s += devResid(y[i], m, weights[i]);
    }
    return s;
  }

  /** √W and the working response z − offset at the current η (R's glm.fit weights and z). */
  private workingSystem(offset: Float64Array): void {
    const { y, weights } = this.data;
    const muEta = this.data.family.link.muEta;
    const variance = this.data.family.variance;
    const { eta, mu, sqrtw, z } = this;
    for (let i = 0; i < this.n; i++) {
      const e = eta[i];
      const m = mu[i];
      const d = muEta(e);
      sqrtw[i] = Math.sqrt((weights[i] * d * d) / variance(m));
      z[i] = e - offset[i] + (y[i] - m) / d;
    }
  }

  /**
   * Runs PIRLS at θ with the given offset (the base offset, plus Xβ in the second stage, where the
   * engine has no X). Throws a NumericalError as lme4 does when step halving cannot lower the deviance.
   */
  run(theta: ArrayLike<number>, offset: Float64Array): PirlsResult | null {
    const { family, y, weights } = this.data;
    const link = family.link;
    const n = this.n;
    for (let i = 0; i < n; i++) {
      this.eta[i] = this.eta0[i];
      this.mu[i] = link.linkinv(this.eta[i]);
    }
    let oldpdev = Number.MAX_VALUE;
    let pdev = oldpdev;
    let ldL2 = NaN;
    let converged = false;
    let steps = 0;
    for (let it = 0; it < PIRLS_MAXIT; it++) {
      this.uPrev.set(this.u);
      this.betaPrev.set(this.beta);
      this.workingSystem(offset);
      this.engine.reweight(this.sqrtw, this.z);
      const parts = this.engine.evaluate(theta);
      steps++;
      if (parts === null) return null;
      ldL2 = parts.ldL2;
      const sol = this.engine.solveViews();
      this.u.set(sol.u);
      this.beta.set(sol.beta);
      pdev = this.update(offset, sol.fitted) + this.sqrLength();
      if (Math.abs((oldpdev - pdev) / pdev) < PIRLS_TOL) {
        converged = true;
        break;
      }
      if (Number.isNaN(pdev) || pdev > oldpdev) {
        for (let k = 0; k < MAX_HALVINGS && (Number.isNaN(pdev) || pdev > oldpdev); k++) {
          for (let j = 0; j < this.q; j++) this.u[j] = (this.uPrev[j] + this.u[j]) / 2;
          for (let j = 0; j < this.p; j++) this.beta[j] = (this.betaPrev[j] + this.beta[j]) / 2;
          pdev = this.update(offset, this.engine.linearPredictor(this.beta, this.u)) + this.sqrLength();
        }
        if (Number.isNaN(pdev)) throw new NumericalError('PIRLS loop resulted in NaN value');
        if (pdev - oldpdev > PIRLS_TOL) {
          throw new NumericalError('(maxstephalfit) PIRLS step-halvings failed to reduce deviance in pwrssUpdate');
        }
      }
      oldpdev = pdev;
    }
    this.totalSteps += steps;
    if (!converged) throw new NumericalError(`pwrssUpdate did not converge in (maxit) iterations (${PIRLS_MAXIT})`);
    const sqrL = this.sqrLength();
    const aic = family.aicWith(this.aicConstants, y, this.data.trials, this.mu, weights);
    return { laplace: ldL2 + sqrL + aic, pdev, ldL2, sqrL, steps };
  }

  /**
   * Factors `engine` (which may be another engine on the same rows, e.g. one holding X) with the
   * working weights of the current μ at θ: its R_X then gives lme4's unscaled vcov at the optimum.
   */
  refreshFactor(engine: MixedEngine, theta: ArrayLike<number>): boolean {
    const { family, y, weights } = this.data;
    const link = family.link;
    for (let i = 0; i < this.n; i++) {
      const d = link.muEta(this.eta[i]);
      this.sqrtw[i] = Math.sqrt((weights[i] * d * d) / family.variance(this.mu[i]));
      this.z[i] = this.eta[i] + (y[i] - this.mu[i]) / d;
    }
    engine.reweight(this.sqrtw, this.z);
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
    const devc0 = new Float64Array(q);
    devc(this.u, this.linPred, devc0);
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
      for (let j = 0; j < q; j++) ut[j] = this.u[j] + z / L[j];
      devc(ut, this.engine.linearPredictor(this.beta, ut), dk);
      for (let j = 0; j < q; j++) mult[j] += (Math.exp(-0.5 * (dk[j] - devc0[j]) - rule.ldnorm[k]) * rule.w[k]) / sqrt2pi;
    }
    let total = ldL2;
    for (let j = 0; j < q; j++) total += devc0[j] - 2 * Math.log(mult[j]);
    return total;
  }

  /** The first term's diagonal blocks of L at the last factorization (for conditional variances). */
  firstTermBlocks(): Float64Array {
    return this.engine.chainDiagonalBlocks(0);
  }
}
