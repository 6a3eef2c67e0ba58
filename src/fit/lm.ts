/**
 * `lm`: linear models by least squares (Householder QR with R's pivoting in WebAssembly), with what
 * R's summary.lm reports: coefficients, SEs, t and p, σ, R², adjusted R², the F statistic, residual
 * quantiles, logLik, AIC and BIC. Aliased columns of a rank-deficient X get NA (null) coefficients.
 */
import { ModelError } from '../errors.js';
import type { DataInput } from '../data/from-input.js';
import { prepareModel, type DataOptions, type PreparedModel } from '../design/prepare.js';
import { columnMajor, modelMatrix } from '../design/model-matrix.js';
import { leastSquares } from '../wasm/qr.js';
import { pTwoSidedT, pUpperF } from '../infer/distributions.js';
import { quantile7 } from '../infer/quantile.js';
import { predictFrame } from '../frame/new-data.js';
import { checkDataArgument, checkFormulaArgument } from '../options/arguments.js';
import { checkOptions } from '../options/validate.js';
import { LM_SCHEMA, PREDICT_LM_SCHEMA } from '../options/schemas.js';

/** One row of the coefficient table (null where R shows NA). */
export interface CoefficientRow {
  term: string;
  estimate: number | null;
  se: number | null;
  t: number | null;
  p: number | null;
}

/** Options of `lm`. */
export type LmOptions = DataOptions;

/** A linear model fitted by `lm`. */
export class LmModel {
  readonly kind = 'lm' as const;
  readonly prepared: PreparedModel;
  readonly nobs: number;
  readonly nDropped: number;
  /** Names of all X columns (aliased ones included). */
  readonly coefNames: string[];
  /** Coefficients in X's column order; NaN for aliased columns. */
  readonly coefficients: Float64Array;
  readonly fitted: Float64Array;
  readonly residuals: Float64Array;
  /** Numerical rank of X. */
  readonly rank: number;
  readonly dfResidual: number;
  readonly sigma: number;
  /** Var(β̂) of the non-aliased coefficients (rank × rank, in X's order of those columns). */
  readonly vcov: Float64Array;
  private readonly keptColumns: number[];
  private readonly rDiag: Float64Array;

  constructor(prepared: PreparedModel) {
    this.prepared = prepared;
    const { frame, X } = prepared;
    if (!frame.response) throw new ModelError('lm needs a response: write the formula as y ~ …');
    const n = frame.n;
    const p = X.columns.length;
    this.nobs = n;
    this.nDropped = frame.nDropped;
    this.coefNames = X.names;
    const ls = leastSquares(columnMajor(X), n, p, frame.response);
    this.coefficients = ls.coefficients;
    this.fitted = ls.fitted;
    this.residuals = ls.residuals;
    this.rank = ls.rank;
    this.dfResidual = n - ls.rank;
    const rss = ls.residuals.reduce((a, r) => a + r * r, 0);
    this.sigma = this.dfResidual > 0 ? Math.sqrt(rss / this.dfResidual) : NaN;
    // (R'R)⁻¹ in pivoted order, then mapped back to X's column order of the kept columns
    const r = ls.rank;
    const Rinv = new Float64Array(r * r);
    for (let c = 0; c < r; c++) {
      Rinv[c * r + c] = 1 / ls.R[c * r + c];
      for (let i = c - 1; i >= 0; i--) {
        let s = 0;
        for (let k = i + 1; k <= c; k++) s += ls.R[i * r + k] * Rinv[k * r + c];
        Rinv[i * r + c] = -s / ls.R[i * r + i];
      }
    }
    this.rDiag = Float64Array.from({ length: r }, (_, i) => ls.R[i * r + i]);
    const pivKept = Array.from(ls.pivot.subarray(0, r));
    this.keptColumns = [...pivKept].sort((a, b) => a - b);
    const s2 = this.sigma * this.sigma;
    this.vcov = new Float64Array(r * r);
    const pos = this.keptColumns.map((j) => pivKept.indexOf(j));
    for (let a = 0; a < r; a++) {
      for (let b = 0; b < r; b++) {
        let s = 0;
        const pa = pos[a];
        const pb = pos[b];
        for (let k = Math.max(pa, pb); k < r; k++) s += Rinv[pa * r + k] * Rinv[pb * r + k];
        this.vcov[a * r + b] = s * s2;
      }
    }
  }

  get formula(): PreparedModel['formula'] {
    return this.prepared.formula;
  }

  get dataName(): string {
    return this.prepared.dataName;
  }

  /** Whether the model has an intercept (R's attr(terms, "intercept")). */
  get hasIntercept(): boolean {
    return this.prepared.formula.fixed.intercept;
  }

  /** Names of the coefficients that are not aliased. */
  get keptNames(): string[] {
    return this.keptColumns.map((j) => this.coefNames[j]);
  }

  /** Whether each column of X is aliased (its coefficient NA). */
  get aliased(): boolean[] {
    return this.coefNames.map((_, j) => !this.keptColumns.includes(j));
  }

  /** summary(lm)$coefficients with NA rows for aliased columns (as print.summary.lm shows them). */
  coefficientTable(): CoefficientRow[] {
    return this.coefNames.map((term, j) => {
      const k = this.keptColumns.indexOf(j);
      if (k < 0) return { term, estimate: null, se: null, t: null, p: null };
      const estimate = this.coefficients[j];
      const se = Math.sqrt(this.vcov[k * this.rank + k]);
      const t = estimate / se;
      return { term, estimate, se, t, p: pTwoSidedT(t, this.dfResidual) };
    });
  }

  /** |diag(R)| of the QR of the kept columns (for the REML log-likelihood). */
  rDiagonal(): number[] {
    return Array.from({ length: this.rank }, (_, i) => this.rDiag[i]);
  }

  /** Residual sum of squares (deviance(lm)). */
  get rss(): number {
    return this.residuals.reduce((a, r) => a + r * r, 0);
  }

  /** Model sum of squares as summary.lm defines it (about the mean with an intercept, about 0 without). */
  private get mss(): number {
    if (this.hasIntercept) {
      const m = this.fitted.reduce((a, f) => a + f, 0) / this.nobs;
      return this.fitted.reduce((a, f) => a + (f - m) * (f - m), 0);
    }
    return this.fitted.reduce((a, f) => a + f * f, 0);
  }

  /** R², adjusted R² and the overall F test; null when the model is only an intercept (R prints none). */
  fit(): { rSquared: number; adjRSquared: number; f: { value: number; numdf: number; dendf: number; p: number } | null } {
    const dfInt = this.hasIntercept ? 1 : 0;
    if (this.rank === dfInt) return { rSquared: 0, adjRSquared: 0, f: null };
    const mss = this.mss;
    const rss = this.rss;
    const rSquared = mss / (mss + rss);
    const adjRSquared = 1 - (1 - rSquared) * ((this.nobs - dfInt) / this.dfResidual);
    const numdf = this.rank - dfInt;
    const value = mss / numdf / (this.sigma * this.sigma);
    return { rSquared, adjRSquared, f: { value, numdf, dendf: this.dfResidual, p: pUpperF(value, numdf, this.dfResidual) } };
  }

  /**
   * summary.lm's warning: the residual variance is below 1e-30 of the fitted values' mean square plus
   * variance (a response the model fits exactly, whose SEs and t values are rounding noise).
   */
  get warnings(): string[] {
    if (this.dfResidual <= 0) return [];
    const n = this.nobs;
    const mean = this.fitted.reduce((a, f) => a + f, 0) / n;
    const variance = n > 1 ? this.fitted.reduce((a, f) => a + (f - mean) * (f - mean), 0) / (n - 1) : 0;
    const resvar = this.rss / this.dfResidual;
    return Number.isFinite(resvar) && resvar < (mean * mean + variance) * 1e-30
      ? ['essentially perfect fit: summary may be unreliable']
      : [];
  }

  /** Residual quantiles (min, 1Q, median, 3Q, max; R's type 7). */
  residualQuantiles(): number[] {
    return quantile7(this.residuals);
  }

  /** Number of parameters in logLik: rank + 1 (σ). */
  get npar(): number {
    return this.rank + 1;
  }

  /** Maximum log-likelihood (R's logLik.lm, ML). */
  get logLik(): number {
    const n = this.nobs;
    return 0.5 * -n * (Math.log(2 * Math.PI) + 1 - Math.log(n) + Math.log(this.rss));
  }

  get AIC(): number {
    return -2 * this.logLik + 2 * this.npar;
  }

  get BIC(): number {
    return -2 * this.logLik + Math.log(this.nobs) * this.npar;
  }

  /** −2 logLik, as lme4's anova shows it for an lm. */
  get deviance2(): number {
    return -2 * this.logLik;
  }

  /** Predictions for new data (rows, columns or a table) with the fitted levels and contrasts. */
  predict(newdata: DataInput, options: Record<string, never> = {}): Float64Array {
    checkOptions('predict', options, PREDICT_LM_SCHEMA);
    const frame = predictFrame(this.prepared, newdata, { random: false });
    const X = modelMatrix(frame, this.prepared.formula.fixed, this.prepared.contrasts);
    const out = new Float64Array(frame.n);
    X.columns.forEach((col, j) => {
      const b = this.coefficients[j];
      if (Number.isNaN(b)) return;
      for (let i = 0; i < frame.n; i++) out[i] += col[i] * b;
    });
    frame.missing.forEach((m, i) => m && (out[i] = NaN));
    return out;
  }
}

/**
 * Fits a linear model, as R's `lm(formula, data)`.
 *
 * @example
 * const fit = lm('Reaction ~ Days', rows);
 * console.log(summary(fit));
 */
export function lm(formula: string, data: DataInput, options: LmOptions = {}): LmModel {
  checkFormulaArgument('lm', formula);
  checkDataArgument('lm', data);
  checkOptions('lm', options, LM_SCHEMA);
  const prepared = prepareModel(formula, data, options);
  if (prepared.formula.random.length > 0) {
    throw new ModelError('lm formulas cannot have random-effects terms (… | …): use lmer()');
  }
  return new LmModel(prepared);
}
