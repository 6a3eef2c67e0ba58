/**
 * `lm`: linear models by least squares (Householder QR with R's pivoting in WebAssembly), with what
 * R's summary.lm reports: coefficients, SEs, t and p, σ, R², adjusted R², the F statistic, residual
 * quantiles, logLik, AIC and BIC. Aliased columns of a rank-deficient X get NA (null) coefficients.
 */
import { ModelError } from '../errors.js';
import type { DataInput } from '../data/from-input.js';
import { prepareModel, type DataOptions, type PreparedModel } from '../design/prepare.js';
import { columnMajor, modelMatrix } from '../design/model-matrix.js';
import { leastSquares, type LeastSquares } from '../wasm/qr.js';
import { pTwoSidedT, pUpperF } from '../stats/distributions.js';
import { quantile7 } from '../stats/quantile.js';
import { predictFrame } from '../frame/new-data.js';
import type { ModelFrame } from '../frame/model-frame.js';
import { RResult } from '../result.js';
import type { AugmentRow, CoefficientRow, FittedModel, GlanceRow, NamedMatrix, TidyRow } from './model.js';
import { namedMatrix } from './named-matrix.js';
import { withWeights } from './frame-weights.js';
import { registerLmState, type LmState } from './lm-state.js';
import { augmentRows } from './augment.js';
import { lmJSON } from './lm-json.js';
import { lmCallLines } from './lm-call.js';
import { formatNumbers } from '../text/format-number.js';
import { printNamedVector, PRINT_WIDTH } from '../text/layout.js';
import type { Json } from '../text/plain-json.js';
import { checkDataArgument, checkFormulaArgument } from '../options/arguments.js';
import { checkOptions } from '../options/validate.js';
import { LM_SCHEMA, PREDICT_LM_SCHEMA } from '../options/schemas.js';

/** R², adjusted R² and the overall F test of summary.lm. */
export interface GoodnessOfFit {
  rSquared: number;
  adjRSquared: number;
  /** The overall F test; null when the model is only an intercept (R prints none). */
  fStatistic: { value: number; numdf: number; dendf: number; p: number } | null;
}

/** Options of `lm`. */
export interface LmOptions extends DataOptions {
  /**
   * Prior weights (R's `weights`): one non-negative number per data row, or a numeric column's name.
   * The fit minimizes Σ wᵢ rᵢ²; rows of weight 0 stay in fitted and residuals but not in the degrees of freedom.
   */
  weights?: ArrayLike<number> | string;
}

const frozen = <T>(xs: ArrayLike<T>): readonly T[] => Object.freeze(Array.from(xs));

/** R's lm.wfit: the QR of √W X against √W y, with fitted values and residuals on the response's scale. */
function weightedLeastSquares(X: Float64Array, n: number, p: number, y: Float64Array, sw: Float64Array): LeastSquares {
  const Xw = new Float64Array(n * p);
  for (let j = 0; j < p; j++) for (let r = 0; r < n; r++) Xw[j * n + r] = X[j * n + r] * sw[r];
  const ls = leastSquares(Xw, n, p, Float64Array.from(y, (v, r) => v * sw[r]));
  const fitted = new Float64Array(n);
  for (let j = 0; j < p; j++) {
    const b = ls.coefficients[j];
    if (Number.isNaN(b)) continue;
    for (let r = 0; r < n; r++) fitted[r] += X[j * n + r] * b;
  }
  return { ...ls, fitted, residuals: Float64Array.from(y, (v, r) => v - fitted[r]) };
}

/** A linear model fitted by `lm`: an immutable value (the design and QR pieces are private). */
export class LmModel extends RResult implements FittedModel {
  readonly kind = 'lm' as const;
  /** The formula as R deparses it. */
  readonly formula: string;
  /** Name of the data in the printed call. */
  readonly dataName: string;
  readonly nobs: number;
  /** Rows dropped for missing values (R's na.omit). */
  readonly nDropped: number;
  /** Names of all X columns (aliased ones included), as R's coef(m) names them. */
  readonly coefNames: readonly string[];
  /** Whether each column of X is aliased (its coefficient NA). */
  readonly aliased: readonly boolean[];
  /** Names of the estimated (non-aliased) coefficients. */
  readonly fixefNames: readonly string[];
  /** The estimated coefficients β̂, in the order of `fixefNames`. */
  readonly beta: readonly number[];
  /** Numerical rank of X. */
  readonly rank: number;
  /** Number of estimated coefficients (the rank). */
  readonly p: number;
  /** Number of parameters in logLik: rank + 1 (σ). */
  readonly npar: number;
  readonly dfResidual: number;
  /** Residual standard error σ̂ (NaN when there are no residual degrees of freedom). */
  readonly sigma: number;
  /** Whether the model has an intercept (R's attr(terms, "intercept")). */
  readonly hasIntercept: boolean;
  /** The prior weights (one per model-frame row), or null for an unweighted fit. */
  readonly weights: readonly number[] | null;
  readonly #state: LmState;

  /** Built by `lm()` from the prepared model; not a public constructor. @internal */
  constructor(prepared: PreparedModel) {
    super();
    const { frame, X } = prepared;
    if (!frame.response) throw new ModelError('lm needs a response: write the formula as y ~ …');
    const rows = frame.n;
    const p = X.columns.length;
    // weighted least squares as R's lm.wfit: the QR of √W X against √W y; rows of weight 0 add nothing
    const weights = prepared.weights ?? null;
    const sw = weights ? Float64Array.from(weights, Math.sqrt) : null;
    const Xc = columnMajor(X);
    const ls = sw ? weightedLeastSquares(Xc, rows, p, frame.response, sw) : leastSquares(Xc, rows, p, frame.response);
    const n = weights ? weights.reduce((a, w) => a + (w > 0 ? 1 : 0), 0) : rows;
    const r = ls.rank;
    const dfResidual = n - r;
    const rss = ls.residuals.reduce((a, e, i) => a + (weights ? weights[i] : 1) * e * e, 0);
    const sigma = dfResidual > 0 ? Math.sqrt(rss / dfResidual) : NaN;
    // (R'R)⁻¹ in pivoted order, then mapped back to X's column order of the kept columns
    const Rinv = new Float64Array(r * r);
    for (let c = 0; c < r; c++) {
      Rinv[c * r + c] = 1 / ls.R[c * r + c];
      for (let i = c - 1; i >= 0; i--) {
        let s = 0;
        for (let k = i + 1; k <= c; k++) s += ls.R[i * r + k] * Rinv[k * r + c];
        Rinv[i * r + c] = -s / ls.R[i * r + i];
      }
    }
    const pivKept = Array.from(ls.pivot.subarray(0, r));
    const keptColumns = [...pivKept].sort((a, b) => a - b);
    const s2 = sigma * sigma;
    const unscaledVcov = new Float64Array(r * r);
    const vcov = new Float64Array(r * r);
    const pos = keptColumns.map((j) => pivKept.indexOf(j));
    for (let a = 0; a < r; a++) {
      for (let b = 0; b < r; b++) {
        let s = 0;
        const pa = pos[a];
        const pb = pos[b];
        for (let k = Math.max(pa, pb); k < r; k++) s += Rinv[pa * r + k] * Rinv[pb * r + k];
        unscaledVcov[a * r + b] = s;
        vcov[a * r + b] = s * s2;
      }
    }
    this.#state = {
      prepared,
      modelFormula: prepared.formula,
      keptColumns,
      coefficients: ls.coefficients,
      fitted: ls.fitted,
      residuals: ls.residuals,
      rDiagonal: Float64Array.from({ length: r }, (_, i) => ls.R[i * r + i]),
      unscaledVcov,
      vcov,
      weightsName: weights === null ? null : (prepared.weightsName ?? 'weights'),
    };
    registerLmState(this, this.#state);
    this.formula = prepared.formula.printed;
    this.dataName = prepared.dataName;
    this.nobs = n;
    this.weights = weights ? frozen(weights) : null;
    this.nDropped = frame.nDropped;
    this.coefNames = frozen(X.names);
    this.aliased = frozen(X.names.map((_, j) => !keptColumns.includes(j)));
    this.fixefNames = frozen(keptColumns.map((j) => X.names[j]));
    this.beta = frozen(keptColumns.map((j) => ls.coefficients[j]));
    this.rank = r;
    this.p = r;
    this.npar = r + 1;
    this.dfResidual = dfResidual;
    this.sigma = sigma;
    this.hasIntercept = prepared.formula.fixed.intercept;
    Object.freeze(this);
  }

  /** Coefficients by name, null where aliased (R's coef(m) with NA). */
  fixef(): Record<string, number | null> {
    const c = this.#state.coefficients;
    return Object.fromEntries(this.coefNames.map((n, j) => [n, Number.isNaN(c[j]) ? null : c[j]]));
  }

  /** R's coef(m): the same named vector as fixef (an lm has no per-group coefficients). */
  coef(): Record<string, number | null> {
    return this.fixef();
  }

  /** Var(β̂) of the estimated coefficients (R's vcov(m) without the aliased rows). */
  vcov(): NamedMatrix {
    return namedMatrix(this.fixefNames, this.#state.vcov);
  }

  /** Standard errors of β̂ (the estimated coefficients). */
  standardErrors(): number[] {
    return this.beta.map((_, k) => Math.sqrt(this.#state.vcov[k * this.rank + k]));
  }

  /** summary(lm)$coefficients with NA (null) rows for aliased columns, as print.summary.lm shows them. */
  coefficientTable(): CoefficientRow[] {
    const se = this.standardErrors();
    return this.coefNames.map((term, j) => {
      const k = this.#state.keptColumns.indexOf(j);
      if (k < 0) return { term, estimate: null, se: null, t: null, df: null, p: null };
      const estimate = this.beta[k];
      const t = estimate / se[k];
      return { term, estimate, se: se[k], t, df: this.dfResidual, p: pTwoSidedT(t, this.dfResidual) };
    });
  }

  fitted(): number[] {
    return Array.from(this.#state.fitted);
  }

  residuals(): number[] {
    return Array.from(this.#state.residuals);
  }

  /** The prior weight of model-frame row i (1 for an unweighted fit). */
  #w(i: number): number {
    return this.weights ? this.weights[i] : 1;
  }

  /** Residual sum of squares, Σ wᵢ rᵢ² with weights (R's deviance(lm)). */
  deviance(): number {
    return this.#state.residuals.reduce((a, r, i) => a + this.#w(i) * r * r, 0);
  }

  /** √wᵢ·rᵢ per model-frame row, 0 at weight 0 (summary.lm's residuals; the residuals when unweighted). */
  weightedResiduals(): number[] {
    const r = this.residuals();
    return this.weights ? r.map((e, i) => Math.sqrt(this.#w(i)) * e) : r;
  }

  /** Model sum of squares as summary.lm defines it (about the weighted mean with an intercept, about 0 without). */
  #mss(): number {
    const f = this.#state.fitted;
    if (this.hasIntercept) {
      let sw = 0;
      let swf = 0;
      f.forEach((v, i) => {
        sw += this.#w(i);
        swf += this.#w(i) * v;
      });
      const m = swf / sw;
      return f.reduce((a, v, i) => a + this.#w(i) * (v - m) * (v - m), 0);
    }
    return f.reduce((a, v, i) => a + this.#w(i) * v * v, 0);
  }

  /** R², adjusted R² and the overall F test of summary.lm (F null for an intercept-only model). */
  goodnessOfFit(): GoodnessOfFit {
    const dfInt = this.hasIntercept ? 1 : 0;
    if (this.rank === dfInt) return { rSquared: 0, adjRSquared: 0, fStatistic: null };
    const mss = this.#mss();
    const rss = this.deviance();
    const rSquared = mss / (mss + rss);
    const adjRSquared = 1 - (1 - rSquared) * ((this.nobs - dfInt) / this.dfResidual);
    const numdf = this.rank - dfInt;
    const value = mss / numdf / (this.sigma * this.sigma);
    return { rSquared, adjRSquared, fStatistic: { value, numdf, dendf: this.dfResidual, p: pUpperF(value, numdf, this.dfResidual) } };
  }

  /**
   * summary.lm's warning: the residual variance is below 1e-30 of the fitted values' mean square plus
   * variance (a response the model fits exactly, whose SEs and t values are rounding noise).
   */
  get warnings(): string[] {
    if (this.dfResidual <= 0) return [];
    const f = this.#state.fitted;
    const n = f.length;
    const mean = f.reduce((a, v) => a + v, 0) / n;
    const variance = n > 1 ? f.reduce((a, v) => a + (v - mean) * (v - mean), 0) / (n - 1) : 0;
    const resvar = this.deviance() / this.dfResidual;
    return Number.isFinite(resvar) && resvar < (mean * mean + variance) * 1e-30
      ? ['essentially perfect fit: summary may be unreliable']
      : [];
  }

  /** Quantiles (min, 1Q, median, 3Q, max; R's type 7) of the residuals, weighted ones for a weighted fit. */
  residualQuantiles(): number[] {
    return quantile7(this.weightedResiduals());
  }

  /** Maximum log-likelihood (R's logLik.lm, ML; with weights + ½ Σ log wᵢ over the rows of positive weight). */
  logLik(): number {
    const n = this.nobs;
    let sumLogW = 0;
    if (this.weights) for (const w of this.weights) if (w > 0) sumLogW += Math.log(w);
    return 0.5 * (sumLogW - n * (Math.log(2 * Math.PI) + 1 - Math.log(n) + Math.log(this.deviance())));
  }

  AIC(): number {
    return -2 * this.logLik() + 2 * this.npar;
  }

  BIC(): number {
    return -2 * this.logLik() + Math.log(this.nobs) * this.npar;
  }

  /** Predictions: the fitted values without `newData`, else for new data (rows, columns or a table). */
  predict(newData?: DataInput, options: Record<string, never> = {}): number[] {
    checkOptions('predict', options, PREDICT_LM_SCHEMA);
    if (newData === undefined) return this.fitted();
    const { prepared } = this.#state;
    const frame = predictFrame(prepared, newData, { random: false });
    const X = modelMatrix(frame, prepared.formula.fixed, prepared.contrasts);
    const out = new Array<number>(frame.n).fill(0);
    const c = this.#state.coefficients;
    X.columns.forEach((col, j) => {
      const b = c[j];
      if (Number.isNaN(b)) return;
      for (let i = 0; i < frame.n; i++) out[i] += col[i] * b;
    });
    frame.missing.forEach((m, i) => m && (out[i] = NaN));
    return out;
  }

  /** broom's tidy(m): one row per coefficient (aliased ones with NA estimates left out, as broom does). */
  tidy(): TidyRow[] {
    return this.coefficientTable()
      .filter((c) => c.estimate !== null)
      .map((c) => ({ effect: 'fixed', group: null, term: c.term, estimate: c.estimate as number, 'std.error': c.se, statistic: c.t, df: c.df, 'p.value': c.p }));
  }

  /** broom's glance(m): R², σ, the F test, logLik, AIC, BIC, deviance (RSS), df.residual, nobs. */
  glance(): GlanceRow {
    const g = this.goodnessOfFit();
    return {
      'r.squared': g.rSquared,
      'adj.r.squared': g.adjRSquared,
      sigma: Number.isFinite(this.sigma) ? this.sigma : null,
      statistic: g.fStatistic?.value ?? null,
      'p.value': g.fStatistic?.p ?? null,
      df: g.fStatistic?.numdf ?? null,
      logLik: this.logLik(),
      AIC: this.AIC(),
      BIC: this.BIC(),
      deviance: this.deviance(),
      'df.residual': this.dfResidual,
      nobs: this.nobs,
    };
  }

  /**
   * Leverages h_i = w_i x_i'(X'WX)⁻¹x_i over the estimated columns (R's hatvalues), one per model-frame
   * row: a row of weight 0 has h = 0 here, where R's hatvalues leaves it out.
   */
  hatValues(): number[] {
    const { prepared, keptColumns, unscaledVcov: U } = this.#state;
    const cols = keptColumns.map((j) => prepared.X.columns[j]);
    const r = this.rank;
    return Array.from({ length: prepared.frame.n }, (_, i) => {
      let h = 0;
      for (let a = 0; a < r; a++) for (let b = 0; b < r; b++) h += cols[a][i] * U[a * r + b] * cols[b][i];
      return this.#w(i) * h;
    });
  }

  /**
   * broom's augment(m): each model-frame row with .fitted, .resid, .hat (leverage), .sigma (σ̂ without the
   * row), .cooksd (Cook's distance) and .std.resid (standardized residual), as R's influence measures.
   */
  augment(): AugmentRow[] {
    const e = this.residuals().map((r, i) => Math.sqrt(this.#w(i)) * r); // influence() reads weighted residuals
    const h = this.hatValues();
    const rss = this.deviance();
    const s2 = this.sigma * this.sigma;
    const df = this.dfResidual;
    return augmentRows(this.#state.prepared.frame as ModelFrame, {
      '.fitted': this.fitted(),
      '.resid': this.residuals(),
      '.hat': h,
      '.sigma': e.map((r, i) => Math.sqrt((rss - (r * r) / (1 - h[i])) / (df - 1))),
      '.cooksd': e.map((r, i) => (r * r * h[i]) / (this.rank * s2 * (1 - h[i]) ** 2)),
      '.std.resid': e.map((r, i) => r / (this.sigma * Math.sqrt(1 - h[i]))),
    });
  }

  /** print(m) as R's print.lm: the call and the coefficients (format(coef, digits = 4), print.gap = 2). */
  toString(): string {
    const { modelFormula, prepared } = this.#state;
    const lines = ['', 'Call:', ...lmCallLines(modelFormula, this.dataName, prepared.contrasts, this.#state.weightsName), ''];
    const c = this.#state.coefficients;
    if (this.coefNames.length === 0) lines.push('No coefficients');
    else lines.push('Coefficients:', ...printNamedVector([...this.coefNames], formatNumbers(Array.from(c, (v) => (Number.isNaN(v) ? null : v)), 4), PRINT_WIDTH, 2));
    lines.push('');
    return lines.join('\n');
  }

  /** The model's numbers as plain JSON (the CLI's `--json`). */
  toJSON(): Json {
    return lmJSON(this);
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
  return new LmModel(withWeights(prepared, options.weights, 'lm'));
}
