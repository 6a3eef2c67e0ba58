/**
 * print(summary(m)) of a glmer fit as lme4 1.1-31 prints it (print.summary.merMod, digits 4): the
 * glmerMod title (Laplace or adaptive Gauss–Hermite), the Family line, AIC/BIC/logLik/deviance/df.resid,
 * scaled Pearson residuals, the random effects without a residual row, z tests, correlations.
 */
import type { GlmerModel } from '../fit/glmer-model.js';
import type { VarCorrRow } from '../fit/varcorr.js';
import { printCoefmat } from './coefmat.js';
import { formatNumbers, roundR, zapsmall } from '../text/format-number.js';
import { catFill, printNamedVector } from '../text/layout.js';
import { deparseFormulaLines } from '../formula/deparse-lines.js';
import { quantile7 } from '../stats/quantile.js';
import { formatVarCorr } from '../text/varcorr.js';
import { glmerTitleLines } from '../fit/glmer-print.js';
import { RResult } from '../result.js';
import { fixefCorrelationLines } from './lmer-summary.js';
import { plainJSON } from '../text/plain-json.js';

const DIGITS = 4;

/** print(summary(m)) as text. */
export function glmerSummaryText(m: GlmerModel): string {
  const out: string[] = [];
  out.push(...glmerTitleLines(m.nAGQ));
  out.push(` Family: ${m.family}  ( ${m.link} )`);
  out.push(...catFill(['Formula:', ...deparseFormulaLines(m.formula)]));
  out.push(...catFill(['   Data:', m.dataName]));
  out.push('');
  const vals = [m.AIC(), m.BIC(), m.logLik(), m.minus2LogLik(), m.dfResidual].map((v) => roundR(v, 1));
  const f = formatNumbers(vals);
  f[4] = formatNumbers([vals[4]])[0];
  out.push(...printNamedVector(['AIC', 'BIC', 'logLik', 'deviance', 'df.resid'], f));
  out.push('');
  const q = quantile7(m.scaledResiduals());
  out.push('Scaled residuals: ', ...printNamedVector(['Min', '1Q', 'Median', '3Q', 'Max'], formatNumbers(zapsmall(q, DIGITS + 1), DIGITS)));
  out.push('');
  out.push('Random effects:', ...formatVarCorr([...m.varCorr().terms], null, DIGITS, ['Variance', 'Std.Dev.']));
  const groups = Object.entries(m.ngroups())
    .map(([g, n]) => `${g}, ${n}`)
    .join('; ');
  out.push(...catFill([`Number of obs: ${m.nobs}, groups: `, groups]));
  const coefs = m.coefficientTable();
  const p = coefs.length;
  if (p > 0) {
    out.push('', 'Fixed effects:');
    out.push(
      ...printCoefmat(
        {
          rowNames: coefs.map((c) => c.term),
          colNames: ['Estimate', 'Std. Error', 'z value', 'Pr(>|z|)'],
          values: coefs.map((c) => [c.estimate, c.se, c.z, c.p]),
        },
        { digits: DIGITS },
      ),
    );
    if (p > 1 && p <= 12) {
      const V = m.vcov().values;
      const corr: number[] = [];
      for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) corr.push(V[i][j] / Math.sqrt(V[i][i] * V[j][j]));
      out.push('', 'Correlation of Fixed Effects:', ...fixefCorrelationLines(coefs.map((c) => c.term), corr));
    } else if (p > 12) {
      out.push('', `Correlation matrix not shown by default, as p = ${p} > 12.`, 'Use print(x, correlation=TRUE)  or', '    vcov(x)        if you need it', '');
    }
  }
  const opt = m.optimizer;
  if (!opt.converged || m.messages.length > 0 || m.warnings.length > 0) {
    out.push(`optimizer (${opt.name}) convergence code: ${opt.converged ? 0 : 1} ${opt.converged ? '(OK)' : `(${opt.message})`}`, ...m.messages, ...m.warnings, '');
  }
  const text = out.join('\n');
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

/** summary(m) of a glmer fit: the numbers of lme4's summary.merMod as fields, its print as `toString()`. */
export class GlmerSummary extends RResult {
  readonly kind = 'glmer' as const;
  readonly family: string;
  readonly link: string;
  /** The z tests: estimate, standard error, z value and Pr(>|z|) per fixed effect. */
  readonly coefficients: readonly { term: string; estimate: number; se: number; z: number; p: number }[];
  /** The random effects (as.data.frame(VarCorr)), as ModelSummary's `varCorr`. */
  readonly varCorr: readonly VarCorrRow[];
  readonly logLik: number;
  readonly AIC: number;
  readonly BIC: number;
  /** −2 logLik, as summary's "deviance". */
  readonly deviance: number;
  readonly dfResidual: number;
  readonly nobs: number;
  readonly messages: readonly string[];
  readonly warnings: readonly string[];
  readonly #text: string;

  constructor(m: GlmerModel) {
    super();
    this.family = m.family;
    this.link = m.link;
    this.coefficients = Object.freeze(m.coefficientTable());
    this.varCorr = m.varCorr().rows;
    this.logLik = m.logLik();
    this.AIC = m.AIC();
    this.BIC = m.BIC();
    this.deviance = m.minus2LogLik();
    this.dfResidual = m.dfResidual;
    this.nobs = m.nobs;
    this.messages = m.messages;
    this.warnings = m.warnings;
    this.#text = glmerSummaryText(m);
    Object.freeze(this);
  }

  toString(): string {
    return this.#text;
  }

  toJSON(): unknown {
    const { kind, family, link, coefficients, varCorr, logLik, AIC, BIC, deviance, dfResidual, nobs, messages, warnings } = this;
    return plainJSON({ kind, family, link, coefficients, varCorr, logLik, AIC, BIC, deviance, dfResidual, nobs, messages, warnings });
  }
}
