/**
 * A fitted linear mixed model (lme4's merMod with lmerTest's Satterthwaite tests): an immutable value.
 * Estimates are plain numbers and arrays; the design, the solution vectors and the engine that inference
 * re-evaluates are private (`#state`, reached inside the package through fit/lmer-state.ts).
 */
import { copyReport, type ConvergenceReport } from './convergence.js';
import type { DataInput } from '../data/from-input.js';
import { satterthwaiteBasis, contrastTest, type SatterthwaiteBasis } from './satterthwaite.js';
import { predictLmer } from './lmer-predict.js';
import { checkOptions } from '../options/validate.js';
import { PREDICT_LMER_SCHEMA } from '../options/schemas.js';
import { setOwn } from '../base/own.js';
import { profiledDevianceML } from './deviance.js';
import { RResult } from '../result.js';
import { registerLmerState, LeaseEvaluator, type LmerState } from './lmer-state.js';
import { VarCorr } from './varcorr.js';
import type { AugmentRow, CoefficientRow, FittedModel, GlanceRow, NamedMatrix, TidyRow } from './model.js';
import { namedMatrix } from './named-matrix.js';
import { lmerTidy, lmerGlance, lmerAugment } from './lmer-broom.js';
import { printLmerModel } from './lmer-print.js';
import { lmerJSON } from './lmer-json.js';
import type { Json } from '../text/plain-json.js';
import type { RanefTable, OptimizerInfo, LmerFitParts, FitTimings } from './lmer-types.js';

export type { VarCorrRow } from './varcorr.js';
export type { RanefTable, OptimizerInfo, LmerFitParts, FitTimings };

/** One fixed-effect row of lmerTest's summary table (Satterthwaite df). */
export type LmerCoefficientRow = CoefficientRow & { estimate: number; se: number; t: number; df: number; p: number };

/** A frozen array copy (a plain loop: Array.from takes the slow iterator path for typed arrays). */
function frozen<T>(xs: ArrayLike<T>): readonly T[] {
  const out = new Array<T>(xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = xs[i];
  return Object.freeze(out);
}

/** A linear mixed model fitted by `lmer`. */
export class LmerModel extends RResult implements FittedModel {
  readonly kind = 'lmer' as const;
  /** The formula as R deparses it (with lme4's `||` expansion), as printed after "Formula:". */
  readonly formula: string;
  /** Name of the data printed after "Data:". */
  readonly dataName: string;
  readonly reml: boolean;
  readonly nobs: number;
  /** Rows dropped for missing values (R's na.omit). */
  readonly nDropped: number;
  /** Names of the fixed effects (columns of X that are not aliased). */
  readonly fixefNames: readonly string[];
  /** Fixed-effect estimates β̂, in the order of `fixefNames`. */
  readonly beta: readonly number[];
  /** Relative covariance parameters θ̂ (lme4's getME(m, "theta") order). */
  readonly theta: readonly number[];
  readonly thetaNames: readonly string[];
  /** Lower bounds of θ (0 for diagonal elements of the relative factors, −Infinity otherwise). */
  readonly lower: readonly number[];
  /** Residual standard deviation σ̂. */
  readonly sigma: number;
  /** Number of fixed effects p. */
  readonly p: number;
  /** Number of parameters: p + length(θ) + 1 (σ). */
  readonly npar: number;
  /** Residual degrees of freedom: n − npar (lme4's df.residual). */
  readonly dfResidual: number;
  /** Whether some diagonal θ is below 1e-4 (lme4's isSingular). */
  readonly singular: boolean;
  readonly optimizer: Readonly<OptimizerInfo>;
  /** lme4's convergence checks; `gradient` and `hessian` are Float64Arrays (length(θ) and its square). */
  readonly convergence: Readonly<ConvergenceReport>;
  /** Messages as lme4 gives them (rank-deficiency note, singular fit). */
  readonly messages: readonly string[];
  /** Warnings as lme4 gives them (convergence). */
  readonly warnings: readonly string[];
  /** Wall-clock time of the fit in milliseconds (data to fitted model). */
  readonly fitMs: number;
  readonly timings: Readonly<FitTimings>;
  readonly #state: LmerState;
  readonly #ldL2: number;
  readonly #pwrss: number;
  #satterthwaite: SatterthwaiteBasis | undefined;
  /** y − fitted, computed when first asked for (a fit in a loop seldom is). */
  #residuals: Float64Array | undefined;

  /** Built by `lmer()` from the fit; not a public constructor. @internal */
  constructor(parts: LmerFitParts) {
    super();
    const formula = parts.prepared.formula;
    this.#state = {
      prepared: parts.prepared,
      modelFormula: formula,
      terms: parts.terms,
      keptColumns: parts.keptColumns,
      beta: parts.beta,
      theta: parts.theta,
      u: parts.u,
      b: parts.b,
      fitted: parts.fitted,
      y: parts.y,
      unscaledVcov: parts.unscaledVcov,
      objective: parts.objective,
      evaluator: new LeaseEvaluator(parts.engine, parts.terms),
    };
    registerLmerState(this, this.#state);
    this.#ldL2 = parts.ldL2;
    this.#pwrss = parts.pwrss;
    this.formula = formula.printed;
    this.dataName = parts.prepared.dataName;
    this.reml = parts.reml;
    this.nobs = parts.prepared.frame.n;
    this.nDropped = parts.prepared.frame.nDropped;
    this.fixefNames = frozen(parts.fixefNames);
    this.beta = frozen(parts.beta);
    this.theta = frozen(parts.theta);
    this.thetaNames = frozen(parts.thetaNames);
    this.lower = frozen(parts.lower);
    this.sigma = parts.sigma;
    this.p = parts.beta.length;
    this.npar = this.p + parts.theta.length + 1;
    this.dfResidual = this.nobs - this.npar;
    this.singular = parts.convergence.singular;
    this.optimizer = Object.freeze({ ...parts.optimizer });
    this.convergence = Object.freeze(copyReport(parts.convergence));
    this.messages = frozen(parts.messages);
    this.warnings = frozen(parts.warnings);
    this.fitMs = parts.fitMs;
    this.timings = Object.freeze({ ...parts.timings });
    Object.freeze(this);
  }

  /** The REML criterion at θ̂ (REML fits; lme4's REMLcrit(m)), null for ML fits. */
  REMLcrit(): number | null {
    return this.reml ? this.#state.objective : null;
  }

  /** −2 log-likelihood at the optimum for ML fits (lme4's deviance(m)); null for REML fits. */
  deviance(): number | null {
    return this.reml ? null : this.#state.objective;
  }

  /** The ML deviance at the fit's θ (deviance(m, REML = FALSE)). */
  devianceML(): number {
    return profiledDevianceML(this.#ldL2, this.#pwrss, this.nobs);
  }

  /** The (REML) log-likelihood, as lme4's logLik(m). */
  logLik(): number {
    return -this.#state.objective / 2;
  }

  AIC(): number {
    return this.#state.objective + 2 * this.npar;
  }

  BIC(): number {
    return this.#state.objective + Math.log(this.nobs) * this.npar;
  }

  /** Var(β̂) = σ²(R_X'R_X)⁻¹ (lme4's vcov(m)). */
  vcov(): NamedMatrix {
    const s2 = this.sigma * this.sigma;
    return namedMatrix(this.fixefNames, this.#state.unscaledVcov, (v) => v * s2);
  }

  /** Standard errors of β̂. */
  standardErrors(): number[] {
    const U = this.#state.unscaledVcov;
    return this.beta.map((_, i) => this.sigma * Math.sqrt(U[i * this.p + i]));
  }

  /** The fixed effects by name (lme4's fixef). */
  fixef(): Record<string, number> {
    return Object.fromEntries(this.fixefNames.map((n, i) => [n, this.beta[i]]));
  }

  /** Number of levels per grouping factor (lme4's ngrps), in term order, each factor once. */
  ngroups(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const t of this.#state.terms) if (!Object.hasOwn(out, t.group)) setOwn(out, t.group, t.levels.length);
    return out;
  }

  /** Offsets of each term's block in u and b. */
  #termOffsets(): number[] {
    const out: number[] = [];
    let at = 0;
    for (const t of this.#state.terms) {
      out.push(at);
      at += t.levels.length * t.columns.length;
    }
    return out;
  }

  /**
   * Conditional modes b per grouping factor (terms on the same factor merged, as lme4's ranef); with
   * `condVar: true` also their conditional covariances (see {@link RanefTable.condVar}).
   */
  ranef(options: { condVar?: boolean } = {}): Record<string, RanefTable> {
    const offsets = this.#termOffsets();
    const b = this.#state.b;
    const out: Record<string, RanefTable> = {};
    this.#state.terms.forEach((t, k) => {
      const p = t.columns.length;
      if (!Object.hasOwn(out, t.group)) setOwn(out, t.group, { levels: [...t.levels], columns: [], values: t.levels.map(() => []) });
      const table = out[t.group];
      table.columns.push(...t.columns);
      t.levels.forEach((_, g) => {
        for (let j = 0; j < p; j++) table.values[g].push(b[offsets[k] + g * p + j]);
      });
    });
    if (options.condVar) {
      const cv = this.#state.evaluator.conditionalVariancesAt(this.theta, this.sigma);
      for (const [group, mats] of Object.entries(cv)) out[group].condVar = mats;
    }
    return out;
  }

  /** Per-level coefficients: fixed effects plus the level's random effects (lme4's coef). */
  coef(): Record<string, RanefTable> {
    const re = this.ranef();
    const out: Record<string, RanefTable> = {};
    for (const [group, table] of Object.entries(re)) {
      setOwn(out, group, {
        levels: table.levels,
        columns: [...this.fixefNames],
        values: table.values.map((row) =>
          this.fixefNames.map((name, i) => {
            const j = table.columns.indexOf(name);
            return this.beta[i] + (j >= 0 ? row[j] : 0);
          }),
        ),
      });
    }
    return out;
  }

  /** Covariance matrices Σ = σ²TT' per term (row-major q×q). */
  termCovariances(): number[][] {
    const s2 = this.sigma * this.sigma;
    let at = 0;
    return this.#state.terms.map((t) => {
      const p = t.columns.length;
      const T = new Float64Array(p * p);
      for (let c = 0; c < p; c++) for (let r = c; r < p; r++) T[r * p + c] = this.theta[at++];
      const S: number[] = new Array<number>(p * p).fill(0);
      for (let i = 0; i < p; i++) {
        for (let j = 0; j < p; j++) {
          let s = 0;
          for (let k = 0; k < p; k++) s += T[i * p + k] * T[j * p + k];
          S[i * p + j] = s * s2;
        }
      }
      return S;
    });
  }

  /** Group names as lme4's VarCorr prints them: a repeated factor gets `.1`, `.2`, … */
  varCorrGroups(): string[] {
    const seen = new Map<string, number>();
    return this.#state.terms.map((t) => {
      const k = seen.get(t.group) ?? 0;
      seen.set(t.group, k + 1);
      return k === 0 ? t.group : `${t.group}.${k}`;
    });
  }

  /** lme4's VarCorr(m): rows of as.data.frame(VarCorr(m)); prints as print(VarCorr(m)). */
  varCorr(): VarCorr {
    const groups = this.varCorrGroups();
    const covs = this.termCovariances();
    return new VarCorr(
      this.#state.terms.map((t, k) => ({ group: groups[k], columns: t.columns, covariance: covs[k] })),
      this.sigma,
    );
  }

  /** Fitted values Xβ̂ + Zb̂ (lme4's fitted(m)). */
  fitted(): number[] {
    return Array.from(this.#state.fitted);
  }

  #residualValues(): Float64Array {
    if (this.#residuals === undefined) {
      const { y, fitted } = this.#state;
      const r = new Float64Array(y.length);
      for (let i = 0; i < r.length; i++) r[i] = y[i] - fitted[i];
      this.#residuals = r;
    }
    return this.#residuals;
  }

  /** Response residuals y − fitted (lme4's residuals(m)). */
  residuals(): number[] {
    return Array.from(this.#residualValues());
  }

  /** Scaled (Pearson) residuals: √wᵢ·residual / σ (wᵢ = 1 unweighted), as summary(m) shows them. */
  scaledResiduals(): number[] {
    const w = this.#state.prepared.weights;
    return Array.from(this.#residualValues(), (r, i) => (w ? Math.sqrt(w[i]) * r : r) / this.sigma);
  }

  /** lmerTest's Satterthwaite basis (computed once, on first use, from the model's own θ̂). */
  satterthwaite(): SatterthwaiteBasis {
    if (!this.#satterthwaite) {
      const ev = this.#state.evaluator;
      const source = { n: this.nobs, p: this.p, reml: this.reml, factorAt: ev.factorAt, derivativesAt: ev.derivativesAt };
      this.#satterthwaite = satterthwaiteBasis(source, this.#state.theta, this.sigma);
    }
    return this.#satterthwaite;
  }

  /** lmerTest's coef(summary(m)): estimate, SE, Satterthwaite df, t and p of every fixed effect. */
  coefficientTable(): LmerCoefficientRow[] {
    const basis = this.satterthwaite();
    return this.fixefNames.map((term, i) => {
      const l = new Float64Array(this.p);
      l[i] = 1;
      return { term, ...contrastTest(basis, this.#state.beta, l) };
    });
  }

  /**
   * Predictions: the fitted values without `newData`; for new data (rows, columns or a table) Xβ plus,
   * with `re` (default true), each row's random effects; a grouping level the fit never saw contributes 0
   * (the population prediction), as lme4's predict(allow.new.levels = TRUE). Rows with missing values give NaN.
   */
  predict(newData?: DataInput, options: { re?: boolean } = {}): number[] {
    checkOptions('predict', options, PREDICT_LMER_SCHEMA);
    const re = options.re ?? true;
    if (newData === undefined && re) return this.fitted();
    return predictLmer(this.#state, newData, re);
  }

  /** broom.mixed's tidy(m): fixed effects with Satterthwaite df, then the random-effects parameters. */
  tidy(): TidyRow[] {
    return lmerTidy(this.coefficientTable(), this.varCorr());
  }

  /** broom.mixed's glance(m). */
  glance(): GlanceRow {
    return lmerGlance(this);
  }

  /** broom.mixed's augment(m): each model-frame row with .fitted, .resid and .fixed. */
  augment(): AugmentRow[] {
    return lmerAugment(this.#state.prepared.frame, this.fitted(), this.residuals(), this.predict(undefined, { re: false }));
  }

  /** print(m) as lme4 prints a merMod. */
  toString(): string {
    return printLmerModel(this, this.#state.modelFormula);
  }

  /** The model's numbers as plain JSON (the CLI's `--json`). */
  toJSON(): Json {
    return lmerJSON(this);
  }
}
