/**
 * `summary(model)`: the text R prints for print(summary(m)) — summary.lm for lm fits, lme4 + lmerTest's
 * summary for lmer fits.
 */
import type { LmModel, GoodnessOfFit } from '../fit/lm.js';
import { LmerModel } from '../fit/lmer-model.js';
import { lmState } from '../fit/lm-state.js';
import { lmerState } from '../fit/lmer-state.js';
import { lmCallLines } from '../fit/lm-call.js';
import type { CoefficientRow, NamedMatrix } from '../fit/model.js';
import type { VarCorrRow } from '../fit/varcorr.js';
import { RResult } from '../result.js';
import { plainJSON, type Json } from '../text/plain-json.js';
import { quantile7 } from '../stats/quantile.js';
import { formatLmerSummary, type LmerSummaryData } from './lmer-summary.js';
import { printFixefVector } from '../text/fixef.js';
import { printNumericMatrix } from '../text/coef-table.js';
import { intervalLabels, type Interval } from '../infer/confint.js';
import { deparseLines, exprDoc } from '../formula/deparse-lines.js';
import { formatLmSummary, type LmSummaryData } from './lm-summary.js';
import { correlationAt } from '../linalg/symmetric.js';

/** The numbers of print(summary(lm)): the coefficient table, σ, R², the F test, residual quantiles. */
function lmSummaryData(model: LmModel): LmSummaryData {
  const fit = model.goodnessOfFit();
  const { prepared, modelFormula, weightsName } = lmState(model);
  const w = model.weights;
  return {
    callLines: lmCallLines(modelFormula, model.dataName, prepared.contrasts, weightsName),
    residuals: model.weightedResiduals(),
    residualNames: Array.from(prepared.frame.rows, (r) => String(r + 1)),
    weighted: w !== null && w.some((v) => v !== w[0]),
    coefficients: model.coefficientTable(),
    sigma: model.sigma,
    dfResidual: model.dfResidual,
    nDropped: model.nDropped,
    rSquared: fit.rSquared,
    adjRSquared: fit.adjRSquared,
    fStatistic: fit.fStatistic,
  };
}

/** print(summary(lm)) as text. */
export function summaryLm(model: LmModel): string {
  return formatLmSummary(lmSummaryData(model)).join('\n');
}

/** Options of the lmer summary. */
export interface LmerSummaryOptions {
  /** lmerTest's Satterthwaite df and p-values (default true); false prints plain lme4's table. */
  satterthwaite?: boolean;
}

/** lme4's name for our optimizers (ours reproduce nloptwrap's BOBYQA and lme4's Nelder_Mead). */
export function lme4OptimizerName(name: string): string {
  return name === 'bobyqa' ? 'nloptwrap' : name === 'nelder-mead' ? 'Nelder_Mead' : name;
}

/** The numbers of print(summary(lmer)) (lme4 + lmerTest). */
function lmerSummaryData(m: LmerModel, options: LmerSummaryOptions): LmerSummaryData {
  const satterthwaite = options.satterthwaite ?? true;
  const se = m.standardErrors();
  const tests = satterthwaite ? m.coefficientTable() : null;
  const p = m.p;
  const V = m.vcov().values.flat();
  const correlation: number[] = [];
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) correlation.push(correlationAt(V, p, i, j));
  const vc = m.varCorr();
  return {
    reml: m.reml,
    satterthwaite,
    formulaLines: deparseLines(exprDoc(lmerState(m).modelFormula.expr)),
    dataName: m.dataName,
    weightsName: lmerState(m).prepared.weightsName ?? null,
    REMLcrit: m.REMLcrit(),
    AIC: m.AIC(),
    BIC: m.BIC(),
    logLik: m.logLik(),
    deviance: m.deviance(),
    dfResidual: m.dfResidual,
    scaledResidualQuantiles: quantile7(m.scaledResiduals()),
    varcorr: [...vc.terms],
    sigma: m.sigma,
    nobs: m.nobs,
    ngroups: m.ngroups(),
    coefficients: m.fixefNames.map((term, i) => ({
      term,
      estimate: m.beta[i],
      se: se[i],
      df: tests ? tests[i].df : NaN,
      t: m.beta[i] / se[i],
      p: tests ? tests[i].p : NaN,
    })),
    correlation,
    optimizerName: lme4OptimizerName(m.optimizer.name),
    convergenceCode: m.optimizer.converged ? 0 : 1,
    optimizerMessage: m.optimizer.message,
    // lme4 keeps the rank-deficiency note in the summary's fitMsgs ("fit warnings:")
    fitMessages: m.messages.filter((msg) => msg.startsWith('fixed-effect model matrix')),
    messages: [...m.messages.filter((msg) => !msg.startsWith('fixed-effect model matrix'))],
    warnings: [...m.warnings],
  };
}

/** print(summary(lmer)) as text (lme4 + lmerTest layout). */
export function summaryLmer(m: LmerModel, options: LmerSummaryOptions = {}): string {
  return formatLmerSummary(lmerSummaryData(m, options)).join('\n');
}

/**
 * summary(m) of an lm or lmer fit: the numbers R's summary object holds as fields, R's print of it as
 * `toString()` (so `console.log(summary(m))` and `String(summary(m))` show R's text), plain JSON.
 */
export class ModelSummary extends RResult {
  readonly kind: 'lm' | 'lmer';
  /** The coefficient table (lmerTest's Satterthwaite df and p for lmer). */
  readonly coefficients: readonly CoefficientRow[];
  readonly sigma: number;
  readonly dfResidual: number;
  readonly nobs: number;
  /** lm: R², adjusted R² and the F test; null for lmer. */
  readonly goodnessOfFit: GoodnessOfFit | null;
  /** lmer: the random effects (as.data.frame(VarCorr)); null for lm. */
  readonly varCorr: readonly VarCorrRow[] | null;
  /** lmer: the fixed effects' correlation matrix; null for lm. */
  readonly correlation: NamedMatrix | null;
  /** log-likelihood (REML for REML fits), AIC, BIC. */
  readonly logLik: number;
  readonly AIC: number;
  readonly BIC: number;
  readonly messages: readonly string[];
  readonly warnings: readonly string[];
  readonly #text: string;

  constructor(model: LmModel | LmerModel, options: LmerSummaryOptions = {}) {
    super();
    this.kind = model.kind;
    this.sigma = model.sigma;
    this.dfResidual = model.dfResidual;
    this.nobs = model.nobs;
    this.logLik = model.logLik();
    this.AIC = model.AIC();
    this.BIC = model.BIC();
    if (model instanceof LmerModel) {
      const d = lmerSummaryData(model, options);
      this.#text = formatLmerSummary(d).join('\n');
      this.coefficients = Object.freeze(d.coefficients.map((c) => ({ term: c.term, estimate: c.estimate, se: c.se, t: c.t, df: c.df ?? null, p: c.p ?? null })));
      this.goodnessOfFit = null;
      this.varCorr = model.varCorr().rows;
      const p = model.p;
      this.correlation = { names: [...model.fixefNames], values: Array.from({ length: p }, (_, i) => d.correlation!.slice(i * p, (i + 1) * p) as number[]) };
      this.messages = model.messages;
      this.warnings = Object.freeze([...model.warnings, ...(options.satterthwaite === false ? [] : model.satterthwaite().warnings)]);
    } else {
      this.#text = summaryLm(model);
      this.coefficients = Object.freeze(model.coefficientTable());
      this.goodnessOfFit = model.goodnessOfFit();
      this.varCorr = null;
      this.correlation = null;
      this.messages = [];
      this.warnings = Object.freeze(model.warnings);
    }
    Object.freeze(this);
  }

  toString(): string {
    return this.#text;
  }

  toJSON(): Json {
    const { kind, coefficients, sigma, dfResidual, nobs, goodnessOfFit, varCorr, correlation, logLik, AIC, BIC, messages, warnings } = this;
    return plainJSON({ kind, coefficients, sigma, dfResidual, nobs, goodnessOfFit, varCorr, correlation, logLik, AIC, BIC, messages, warnings });
  }
}

/** print(VarCorr(m)): standard deviations and correlations (digits 5), as lme4 prints them. */
export function printVarCorr(m: LmerModel): string {
  return m.varCorr().toString();
}

/** print(fixef(m)). */
export function printFixef(m: LmerModel): string {
  return printFixefVector({ names: [...m.fixefNames], values: [...m.beta] });
}

/** print(coef(summary(m))) with lmerTest's Satterthwaite columns. */
export function printCoefTable(m: LmerModel): string {
  const tests = m.coefficientTable();
  return printNumericMatrix({
    rowNames: [...m.fixefNames],
    colNames: ['Estimate', 'Std. Error', 'df', 't value', 'Pr(>|t|)'],
    values: tests.map((t) => [t.estimate, t.se, t.df, t.t, t.p]),
  });
}

/** print(confint(m)) for Wald or profile intervals. */
export function printConfint(rows: Interval[], level = 0.95): string {
  return printNumericMatrix({ rowNames: rows.map((r) => r.name), colNames: intervalLabels(level), values: rows.map((r) => [r.lower, r.upper]) });
}
