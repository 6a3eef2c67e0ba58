/**
 * A fitted generalized linear mixed model (lme4's glmerMod): estimates, conditional modes, fit criteria,
 * the summary as lme4 prints it and plain JSON. Immutable: the state is private and no engine is kept.
 */
import type { PreparedModel } from '../design/prepare.js';
import type { RandomTermDesign } from '../design/random-terms.js';
import type { DataInput } from '../data/from-input.js';
import { ModelError, OptionError } from '../errors.js';
import { profileGlmm, type GlmmDeviance, type GlmmProfile, type GlmmProfileInput, type GlmmProfileOptions } from './glmer-profile.js';
import { normalUpper } from '../stats/distributions.js';
import { RResult } from '../result.js';
import { VarCorr } from './varcorr.js';
import type { ConvergenceReport } from './convergence.js';
import type { Family } from './family.js';
import type { AugmentRow, FittedModel, GlanceRow, NamedMatrix, TidyRow } from './model.js';
import { printGlmerModel } from './glmer-print.js';
import type { Expr } from '../formula/types.js';
import { predictFrame } from '../frame/new-data.js';
import { evaluateOffsets } from '../frame/glm-response.js';
import { modelMatrix } from '../design/model-matrix.js';
import { toDataTable } from '../data/from-input.js';
import type { RanefTable } from './lmer-types.js';
import { setOwn } from '../base/own.js';

/** How the optimizers ended (stage 2's, with stage 1's evaluation count). */
export interface GlmerOptimizerInfo {
  name: string;
  evaluations: number;
  converged: boolean;
  message: string;
  stage1Evaluations: number;
}

/** Everything `glmer` computes, passed to the model's constructor. */
export interface GlmerFitParts {
  prepared: PreparedModel;
  printedFormula: string;
  /** The formula's offset(...) arguments, for predictions on new data. */
  offsetTerms: readonly Expr[];
  /** Indices of the kept X columns in the full model matrix. */
  keptColumns: number[];
  family: Family;
  nAGQ: number;
  terms: RandomTermDesign[];
  fixefNames: string[];
  theta: Float64Array;
  thetaNames: string[];
  lower: Float64Array;
  beta: Float64Array;
  u: Float64Array;
  eta: Float64Array;
  mu: Float64Array;
  offset: Float64Array;
  y: Float64Array;
  weights: Float64Array;
  trials: Float64Array;
  /** The minimized objective: −2 log L (Laplace) or the nAGQ = 0 deviance. */
  devianceLaplace: number;
  /**
   * Conditional covariances of b per grouping factor and level (lme4's condVar), as lmer's ranef gives
   * them: computed on the first call (a fit's cost otherwise, for every level of every factor).
   */
  condVar: () => Record<string, number[][][]>;
  /** The stage-2 deviance on an engine of its own, for profiles (null for nAGQ = 0, which has no stage 2). */
  profileDeviance: (() => GlmmDeviance) | null;
  vcov: Float64Array;
  optimizer: GlmerOptimizerInfo;
  convergence: ConvergenceReport;
  messages: string[];
  warnings: string[];
  pirlsSteps: number;
  timings: { optimizeMs: number };
  fitMs: number;
  /** The same fit with another second-stage optimizer (allFit). */
  refit: (optimizer: GlmerStage2Optimizer) => GlmerModel;
}

/** glmer's second-stage optimizers (GlmerOptions.optimizer). */
export type GlmerStage2Optimizer = 'nelder-mead' | 'bobyqa' | 'bobyqa-scaled' | 'newton';

/** What this module's functions (allFit's refit, the profile) read of a fit beyond its public fields. */
interface GlmerInternals {
  refit: GlmerFitParts['refit'];
  profileInput: () => GlmmProfileInput;
}

const internals = new WeakMap<object, GlmerInternals>();

function internalsOf(model: GlmerModel): GlmerInternals {
  const found = internals.get(model);
  if (!found) throw new TypeError('not a fitted GlmerModel');
  return found;
}

/** Fits the model again with another second-stage optimizer (for allFit; not part of the public API). */
export function refitGlmer(model: GlmerModel, optimizer: GlmerStage2Optimizer): GlmerModel {
  return internalsOf(model).refit(optimizer);
}

/**
 * Profile-likelihood intervals of a glmer fit (confint's method 'profile'; glmer-profile.ts). A fit with
 * nAGQ = 0 has no deviance in β to profile: lme4 fails on it, we refuse it with a ModelError.
 */
export function profileGlmer(model: GlmerModel, options: GlmmProfileOptions = {}): GlmmProfile {
  return profileGlmm(internalsOf(model).profileInput(), options);
}

/** Residual types of `residuals()`, as R's residuals.glmerMod. */
export type GlmerResidualType = 'deviance' | 'pearson' | 'response' | 'working';

/** A fitted GLMM. */
export class GlmerModel extends RResult implements FittedModel {
  readonly kind = 'glmer' as const;
  readonly formula: string;
  readonly nobs: number;
  readonly family: string;
  readonly link: string;
  readonly nAGQ: number;
  /** Wall time of the whole fit (ms). */
  readonly fitMs: number;
  /** Weighted least-squares steps PIRLS took over the whole fit. */
  readonly pirlsSteps: number;
  readonly messages: readonly string[];
  readonly warnings: readonly string[];
  readonly #p: GlmerFitParts;
  #condVar: Record<string, number[][][]> | null = null;

  /** Built by `glmer()` from the fit; not a public constructor. @internal */
  constructor(parts: GlmerFitParts) {
    super();
    this.#p = parts;
    internals.set(this, {
      refit: parts.refit,
      profileInput: () => {
        const makeDeviance = parts.profileDeviance;
        if (!makeDeviance) {
          throw new ModelError(
            "profile intervals need a fit with nAGQ >= 1: with nAGQ = 0 β is not a parameter of the optimized deviance (lme4 cannot profile it either); refit with nAGQ = 1 or use method 'Wald'",
          );
        }
        return { blocks: parts.terms, theta: parts.theta, beta: parts.beta, fixefNames: parts.fixefNames, se: this.standardErrors(), deviance: parts.devianceLaplace, makeDeviance };
      },
    });
    this.formula = parts.printedFormula;
    this.nobs = parts.y.length;
    this.family = parts.family.family;
    this.link = parts.family.link.name;
    this.nAGQ = parts.nAGQ;
    this.fitMs = parts.fitMs;
    this.pirlsSteps = parts.pirlsSteps;
    this.messages = [...parts.messages];
    this.warnings = [...parts.warnings];
  }

  /** The data set's name printed after "Data:". */
  get dataName(): string {
    return this.#p.prepared.dataName;
  }

  /** θ (lme4's order) by name. */
  theta(): Record<string, number> {
    return Object.fromEntries(this.#p.thetaNames.map((nm, i) => [nm, this.#p.theta[i]]));
  }

  fixef(): Record<string, number | null> {
    return Object.fromEntries(this.#p.fixefNames.map((nm, i) => [nm, this.#p.beta[i]]));
  }

  vcov(): NamedMatrix {
    const p = this.#p.fixefNames.length;
    const v = this.#p.vcov;
    return { names: [...this.#p.fixefNames], values: Array.from({ length: p }, (_, i) => Array.from(v.subarray(i * p, (i + 1) * p))) };
  }

  /** Standard errors of the fixed effects. */
  standardErrors(): number[] {
    const p = this.#p.fixefNames.length;
    return Array.from({ length: p }, (_, i) => Math.sqrt(this.#p.vcov[i * p + i]));
  }

  /** The z table: estimate, SE, z value and two-sided normal p-value per fixed effect. */
  coefficientTable(): { term: string; estimate: number; se: number; z: number; p: number }[] {
    const se = this.standardErrors();
    return this.#p.fixefNames.map((term, i) => {
      const estimate = this.#p.beta[i];
      const z = estimate / se[i];
      return { term, estimate, se: se[i], z, p: 2 * normalUpper(Math.abs(z)) };
    });
  }

  /** Fitted values on the response scale (μ), or the linear predictor with `{ type: 'link' }`. */
  fitted(options: { type?: 'response' | 'link' } = {}): number[] {
    return Array.from(options.type === 'link' ? this.#p.eta : this.#p.mu);
  }

  /** Residuals (deviance by default, as R's residuals.glmerMod). */
  residuals(options: { type?: GlmerResidualType } | GlmerResidualType = {}): number[] {
    const type = (typeof options === 'string' ? options : options.type) ?? 'deviance';
    const { y, mu, eta, weights, family } = this.#p;
    const out = new Array<number>(y.length);
    for (let i = 0; i < y.length; i++) {
      const r = y[i] - mu[i];
      switch (type) {
        case 'response':
          out[i] = r;
          break;
        case 'pearson':
          out[i] = (r * Math.sqrt(weights[i])) / Math.sqrt(family.variance(mu[i]));
          break;
        case 'working':
          out[i] = r / family.link.muEta(eta[i]);
          break;
        case 'deviance':
          out[i] = Math.sign(r) * Math.sqrt(Math.max(0, family.devResid(y[i], mu[i], weights[i])));
          break;
        default:
          throw new OptionError(`unknown residual type "${String(type)}" (use deviance, pearson, response or working)`);
      }
    }
    return out;
  }

  /**
   * Predictions as R's predict.merMod: the linear predictor (default) or μ with `{ type: 'response' }`,
   * for the model's rows or for `newData`. On new data the formula's offset(...) terms are evaluated
   * there, `re: false` leaves the random effects out, and a grouping level the fit never saw contributes
   * 0 (allow.new.levels = TRUE). Rows with missing values give NaN.
   */
  predict(newData?: DataInput, options: { type?: 'link' | 'response'; re?: boolean } = {}): number[] {
    const type = options.type ?? 'link';
    if (type !== 'link' && type !== 'response') throw new OptionError(`predict type must be "link" or "response", not "${String(type)}"`);
    if (newData === undefined) return this.fitted({ type });
    const re = options.re ?? true;
    const parts = this.#p;
    const frame = predictFrame(parts.prepared, newData, { random: re });
    const X = modelMatrix(frame, parts.prepared.formula.fixed, parts.prepared.contrasts);
    const eta = evaluateOffsets(parts.offsetTerms, toDataTable(newData), parts.printedFormula);
    parts.keptColumns.forEach((j, k) => {
      const col = X.columns[j];
      for (let i = 0; i < frame.n; i++) eta[i] += col[i] * parts.beta[k];
    });
    if (re) {
      const ranef = this.#modes();
      parts.terms.forEach((t, k) => {
        const Z = modelMatrix(frame, t.term.effects, parts.prepared.contrasts);
        const index = new Map(t.levels.map((l, g) => [l, g]));
        const labels = t.term.grouping.map((v) => frame.labels.get(v)!);
        for (let i = 0; i < frame.n; i++) {
          if (frame.missing[i]) continue;
          const g = index.get(labels.map((l) => l[i]).join(':'));
          if (g === undefined) continue;
          ranef[k][g].forEach((b, a) => (eta[i] += Z.columns[a][i] * b));
        }
      });
    }
    const link = parts.family.link;
    return Array.from(eta, (e, i) => (frame.missing[i] ? NaN : type === 'response' ? link.linkinv(e) : e));
  }

  /** −2 log L: the Laplace (or AGQ) approximation lme4 minimizes. */
  minus2LogLik(): number {
    return this.#p.devianceLaplace;
  }

  logLik(): number {
    return -this.#p.devianceLaplace / 2;
  }

  /** Degrees of freedom of logLik: fixed effects + covariance parameters. */
  get df(): number {
    return this.#p.beta.length + this.#p.theta.length;
  }

  AIC(): number {
    return this.#p.devianceLaplace + 2 * this.df;
  }

  BIC(): number {
    return this.#p.devianceLaplace + Math.log(this.nobs) * this.df;
  }

  /** Sum of the squared deviance residuals (R's deviance() of a glmerMod). */
  deviance(): number {
    const { y, mu, weights, family } = this.#p;
    let s = 0;
    for (let i = 0; i < y.length; i++) s += family.devResid(y[i], mu[i], weights[i]);
    return s;
  }

  get dfResidual(): number {
    return this.nobs - this.df;
  }

  /** Relative covariance factor T of term t (lower triangle, row-major). */
  #factorOf(t: number): { T: Float64Array; pt: number } {
    let at = 0;
    for (let j = 0; j < t; j++) at += (this.#p.terms[j].columns.length * (this.#p.terms[j].columns.length + 1)) / 2;
    const pt = this.#p.terms[t].columns.length;
    const T = new Float64Array(pt * pt);
    for (let c = 0; c < pt; c++) for (let r = c; r < pt; r++) T[r * pt + c] = this.#p.theta[at++];
    return { T, pt };
  }

  /** lme4's VarCorr(m): the random effects' variances, SDs and correlations; no residual row (σ = 1). */
  varCorr(): VarCorr {
    const seen = new Map<string, number>();
    return new VarCorr(
      this.#p.terms.map((term, t) => {
        const { T, pt } = this.#factorOf(t);
        const covariance = new Float64Array(pt * pt); // Σ = T Tᵀ, the relative covariance factor's square
        for (let i = 0; i < pt; i++) {
          for (let j = 0; j < pt; j++) {
            let s = 0;
            for (let k = 0; k < pt; k++) s += T[i * pt + k] * T[j * pt + k];
            covariance[i * pt + j] = s;
          }
        }
        const k = seen.get(term.group) ?? 0;
        seen.set(term.group, k + 1);
        return { group: k === 0 ? term.group : `${term.group}.${k}`, columns: term.columns, covariance };
      }),
      null,
    );
  }

  /** b = Λu per term and level (term order, the engine's). */
  #modes(): number[][][] {
    let off = 0;
    return this.#p.terms.map((term, t) => {
      const { T, pt } = this.#factorOf(t);
      const values = term.levels.map((_, g) => {
        const row: number[] = [];
        for (let i = 0; i < pt; i++) {
          let s = 0;
          for (let k = 0; k <= i; k++) s += T[i * pt + k] * this.#p.u[off + g * pt + k];
          row.push(s);
        }
        return row;
      });
      off += term.levels.length * pt;
      return values;
    });
  }

  /**
   * Conditional modes of the random effects per grouping factor (lme4's ranef), in lmer's shape: terms of
   * the same factor share a table. With `condVar: true` each level carries its conditional covariance
   * matrix (lme4's postVar, σ = 1), for every term of the model.
   */
  ranef(options: { condVar?: boolean } = {}): Record<string, RanefTable> {
    const out: Record<string, RanefTable> = {};
    const modes = this.#modes();
    this.#p.terms.forEach((t, k) => {
      if (!Object.hasOwn(out, t.group)) setOwn(out, t.group, { levels: [...t.levels], columns: [], values: t.levels.map(() => []) });
      const table = out[t.group];
      table.columns.push(...t.columns);
      t.levels.forEach((_, g) => table.values[g].push(...modes[k][g]));
    });
    if (options.condVar) {
      this.#condVar ??= this.#p.condVar();
      for (const [group, mats] of Object.entries(this.#condVar)) out[group].condVar = mats.map((m) => m.map((r) => [...r]));
    }
    return out;
  }

  /** Number of levels per grouping factor. */
  ngroups(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const t of this.#p.terms) out[t.group] = t.levels.length;
    return out;
  }

  /** Whether some variance parameter is on its boundary (lme4's isSingular). */
  get singular(): boolean {
    return this.#p.convergence.singular;
  }

  /** How the optimizer ended. */
  get optimizer(): GlmerOptimizerInfo {
    return { ...this.#p.optimizer };
  }

  /** What lme4's convergence checks found, with the restart's second opinion when one ran (as lmer's). */
  get convergence(): ConvergenceReport {
    return { ...this.#p.convergence };
  }

  /** Finite-difference gradient and Hessian at the optimum (lme4's optinfo$derivs). */
  get derivatives(): { gradient: number[]; hessian: number[] } {
    return { gradient: Array.from(this.#p.convergence.gradient), hessian: Array.from(this.#p.convergence.hessian) };
  }

  tidy(): TidyRow[] {
    const fixed: TidyRow[] = this.coefficientTable().map((c) => ({
      effect: 'fixed',
      group: null,
      term: c.term,
      estimate: c.estimate,
      'std.error': c.se,
      statistic: c.z,
      df: null,
      'p.value': c.p,
    }));
    const ran: TidyRow[] = this.varCorr().rows.map((r) => ({
      effect: 'ran_pars',
      group: r.group,
      term: r.var2 === null ? `sd__${r.var1}` : `cor__${r.var1}.${r.var2}`,
      estimate: r.sdcor,
      'std.error': null,
      statistic: null,
      df: null,
      'p.value': null,
    }));
    return [...fixed, ...ran];
  }

  glance(): GlanceRow {
    return {
      nobs: this.nobs,
      sigma: 1,
      logLik: this.logLik(),
      AIC: this.AIC(),
      BIC: this.BIC(),
      deviance: this.minus2LogLik(),
      'df.residual': this.dfResidual,
    };
  }

  augment(): AugmentRow[] {
    const fitted = this.fitted();
    const resid = this.residuals();
    return fitted.map((f, i) => ({ '.fitted': f, '.resid': resid[i] }));
  }

  /** Scaled Pearson residuals (σ = 1), as the summary's "Scaled residuals" reads them. */
  scaledResiduals(): number[] {
    return this.residuals('pearson');
  }

  /** print(m) as lme4 prints a glmerMod; `String(summary(m))` gives the summary. */
  toString(): string {
    return printGlmerModel(this);
  }

  toJSON(): Record<string, unknown> {
    const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
    return {
      kind: 'glmer',
      formula: this.formula,
      family: this.family,
      link: this.link,
      nAGQ: this.nAGQ,
      nobs: this.nobs,
      ngroups: this.ngroups(),
      logLik: this.logLik(),
      AIC: this.AIC(),
      BIC: this.BIC(),
      deviance: this.minus2LogLik(),
      'df.residual': this.dfResidual,
      theta: this.theta(),
      fixef: this.coefficientTable().map((c) => ({ term: c.term, estimate: c.estimate, se: finite(c.se), z: finite(c.z), p: finite(c.p) })),
      varcorr: this.varCorr().rows,
      converged: this.#p.optimizer.converged && this.warnings.length === 0,
      singular: this.singular,
      warnings: [...this.warnings],
      messages: [...this.messages],
      optimizer: { name: this.#p.optimizer.name, evaluations: this.#p.optimizer.evaluations, stage1Evaluations: this.#p.optimizer.stage1Evaluations },
      pirlsSteps: this.pirlsSteps,
      fitMs: this.fitMs,
    };
  }
}
