/**
 * `summary(model)`: the text R prints for print(summary(m)) — summary.lm for lm fits, lme4 + lmerTest's
 * summary for lmer fits.
 */
import type { LmModel } from '../fit/lm.js';
import type { LmerModel } from '../fit/lmer-model.js';
import { quantile7 } from '../stats/quantile.js';
import { formatLmerSummary } from './lmer-summary.js';
import { formatVarCorr, type VarCorrTerm } from '../text/varcorr.js';
import { printFixefVector } from '../text/fixef.js';
import { printNumericMatrix } from './coef-table.js';
import { intervalLabels, type Interval } from '../infer/confint.js';
import type { ContrastSpec } from '../frame/contrasts.js';
import { deparseLines, exprDoc, text, type Doc } from '../formula/deparse-lines.js';
import { formatLmSummary } from './lm-summary.js';
import { correlationAt } from '../linalg/symmetric.js';

function rNumber(x: number): string {
  return String(x);
}

/** R's deparse of a contrasts argument value. */
function contrastDoc(spec: ContrastSpec): Doc {
  if (typeof spec === 'string') return text(`"contr.${spec}"`);
  const rows = spec.matrix.length;
  const cols = spec.matrix[0]?.length ?? 0;
  const values: number[] = [];
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) values.push(spec.matrix[i][j]);
  const dim = Math.abs(rows - cols) === 1 ? `${rows}:${cols}` : `c(${rows}L, ${cols}L)`;
  const args: { name?: string; value: Doc }[] = [
    { value: text(`c(${values.map(rNumber).join(', ')})`) },
    { name: 'dim', value: text(dim) },
  ];
  if (spec.names) {
    args.push({
      name: 'dimnames',
      value: { kind: 'call', fn: 'list', args: [{ value: text('NULL') }, { value: text(spec.names.map((n) => `"${n}"`).join(', ')) }] },
    });
  }
  return { kind: 'call', fn: 'structure', args };
}

/** The `lm(formula = …, data = …)` call as R's summary shows it. */
export function lmCallLines(model: LmModel): string[] {
  const args: { name?: string; value: Doc }[] = [
    { name: 'formula', value: exprDoc(model.formula.expr) },
    { name: 'data', value: text(model.dataName) },
  ];
  const contrasts = Object.entries(model.prepared.contrasts);
  if (contrasts.length > 0) {
    args.push({ name: 'contrasts', value: { kind: 'call', fn: 'list', args: contrasts.map(([k, v]) => ({ name: k, value: contrastDoc(v) })) } });
  }
  return deparseLines({ kind: 'call', fn: 'lm', args });
}

/** print(summary(lm)) as text. */
export function summaryLm(model: LmModel): string {
  const fit = model.fit();
  return formatLmSummary({
    callLines: lmCallLines(model),
    residuals: model.residuals,
    residualNames: Array.from(model.prepared.frame.rows, (r) => String(r + 1)),
    coefficients: model.coefficientTable(),
    sigma: model.sigma,
    dfResidual: model.dfResidual,
    nDropped: model.nDropped,
    rSquared: fit.rSquared,
    adjRSquared: fit.adjRSquared,
    fStatistic: fit.f,
  }).join('\n');
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

/** print(summary(lmer)) as text (lme4 + lmerTest layout). */
export function summaryLmer(m: LmerModel, options: LmerSummaryOptions = {}): string {
  const satterthwaite = options.satterthwaite ?? true;
  const se = m.standardErrors;
  const tests = satterthwaite ? m.coefficientTests() : null;
  const p = m.p;
  const V = m.vcov;
  const correlation: number[] = [];
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) correlation.push(correlationAt(V, p, i, j));
  const groups = m.varCorrGroups();
  const covs = m.termCovariances();
  return formatLmerSummary({
    reml: m.reml,
    satterthwaite,
    formulaLines: deparseLines(exprDoc(m.formula.expr)),
    dataName: m.dataName,
    REMLcrit: m.REMLcrit,
    AIC: m.AIC,
    BIC: m.BIC,
    logLik: m.logLik,
    deviance: m.deviance,
    dfResidual: m.dfResidual,
    scaledResidualQuantiles: quantile7(m.scaledResiduals()),
    varcorr: m.terms.map((t, k) => varCorrTerm(groups[k], t.columns, covs[k])),
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
  }).join('\n');
}

/** print(VarCorr(m)): standard deviations and correlations (digits 5), as lme4 prints them. */
export function printVarCorr(m: LmerModel): string {
  const groups = m.varCorrGroups();
  const covs = m.termCovariances();
  return formatVarCorr(
    m.terms.map((t, k) => varCorrTerm(groups[k], t.columns, covs[k])),
    m.sigma,
    5,
    ['Std.Dev.'],
  ).join('\n');
}

/** One term of the random-effects table from its covariance matrix. */
export function varCorrTerm(group: string, columns: readonly string[], S: Float64Array): VarCorrTerm {
  const q = columns.length;
  const sd = Array.from({ length: q }, (_, i) => Math.sqrt(S[i * q + i]));
  const corr =
    q > 1 ? Array.from({ length: q }, (_, i) => Array.from({ length: q }, (_, j) => correlationAt(S, q, i, j))) : null;
  return { group, names: [...columns], sd, corr };
}

/** print(fixef(m)). */
export function printFixef(m: LmerModel): string {
  return printFixefVector({ names: [...m.fixefNames], values: Array.from(m.beta) });
}

/** print(coef(summary(m))) with lmerTest's Satterthwaite columns. */
export function printCoefTable(m: LmerModel): string {
  const tests = m.coefficientTests();
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
