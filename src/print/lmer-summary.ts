/**
 * print(summary(m)) of an lmer fit as lme4 1.1-31 prints it, with lmerTest's title and Satterthwaite
 * columns (or plain lme4's when `satterthwaite` is false): title, Formula/Data, fit criteria, scaled
 * residuals, random effects, number of observations and groups, fixed effects, their correlations and
 * the optimizer / convergence messages.
 */
import { abbreviate } from './abbreviate.js';
import { printCoefmat } from './coefmat.js';
import { formatNumbers, roundR, zapsmall } from './format-number.js';
import { catFill, printMatrix, printNamedVector, strwrap, PRINT_WIDTH } from './layout.js';
import { catNumber } from './lm-summary.js';
import { formatVarCorr, type VarCorrTerm } from './varcorr.js';

/** Everything the lmer summary prints, as plain data. */
export interface LmerSummaryData {
  reml: boolean;
  /** Show lmerTest's title and df / p columns. */
  satterthwaite: boolean;
  /** deparse() lines of the formula (width 60). */
  formulaLines: string[];
  dataName: string;
  /** REML criterion (REML) or [AIC, BIC, logLik, deviance, df.resid] (ML). */
  REMLcrit: number | null;
  AIC: number;
  BIC: number;
  logLik: number;
  deviance: number | null;
  dfResidual: number;
  scaledResidualQuantiles: number[];
  /** Random-effects terms: group name (with .1 suffixes), column names, SDs, correlation matrix. */
  varcorr: VarCorrTerm[];
  sigma: number;
  nobs: number;
  ngroups: Record<string, number>;
  /** Coefficient rows: estimate, SE, [df], t, [p]. */
  coefficients: { term: string; estimate: number; se: number; df: number; t: number; p: number }[];
  /** Correlation of the fixed effects (p×p row-major). */
  correlation: number[];
  /** Optimizer name as lme4 prints it and lme4's messages / warnings to show at the end. */
  optimizerName: string;
  convergenceCode: number;
  messages: string[];
  warnings: string[];
}

const DIGITS = 4;

function title(d: LmerSummaryData): string[] {
  const method = d.reml ? 'REML' : 'maximum likelihood';
  const mtit = d.satterthwaite
    ? `Linear mixed model fit by ${method}${d.reml ? '' : ' '}. t-tests use Satterthwaite's method`
    : `Linear mixed model fit by ${method}`;
  const cls = d.satterthwaite ? 'lmerModLmerTest' : 'lmerMod';
  if (mtit.length + 5 + cls.length > PRINT_WIDTH) {
    return catFill([...strwrap(mtit, PRINT_WIDTH - 2, 2), ' [', cls, ']'], '');
  }
  return [`${mtit} ['${cls}']`];
}

function criteria(d: LmerSummaryData): string[] {
  if (d.reml) return catFill(['REML criterion at convergence:', catNumber(roundR(d.REMLcrit!, 1))]);
  const vals = [d.AIC, d.BIC, d.logLik, d.deviance!, d.dfResidual].map((v) => roundR(v, 1));
  const f = formatNumbers(vals, 7);
  f[4] = formatNumbers([vals[4]], 7)[0];
  return printNamedVector(['AIC', 'BIC', 'logLik', 'deviance', 'df.resid'], f);
}

/** lme4's formatVC table in the summary (Variance and Std.Dev., digits 4). */
function randomEffects(d: LmerSummaryData): string[] {
  return formatVarCorr(d.varcorr, d.sigma, DIGITS, ['Variance', 'Std.Dev.']);
}

function fixedCorrelation(d: LmerSummaryData): string[] {
  const p = d.coefficients.length;
  if (p > 12) {
    return ['', `Correlation matrix not shown by default, as p = ${p} > 12.`, 'Use print(x, correlation=TRUE)  or', '    vcov(x)        if you need it', ''];
  }
  if (p < 2) return [];
  const names = d.coefficients.map((c) => c.term);
  const rns = abbreviate(names, 11);
  const cns = abbreviate(names, 6);
  const f = formatNumbers(d.correlation.map((v) => roundR(v, 3)), 7, 3);
  const cells: string[][] = [];
  for (let i = 1; i < p; i++) {
    const row: string[] = [];
    for (let j = 0; j < p - 1; j++) row.push(j < i ? f[i * p + j] : '');
    cells.push(row);
  }
  return ['', 'Correlation of Fixed Effects:', ...printMatrix(rns.slice(1), cns.slice(0, p - 1), cells, { right: false })];
}

/** Lines of print(summary(m)). The last element is '' when R's output ends with a newline. */
export function formatLmerSummary(d: LmerSummaryData): string[] {
  const out: string[] = [...title(d)];
  out.push(...catFill(['Formula:', ...d.formulaLines]), ...catFill(['   Data:', d.dataName]), '');
  out.push(...criteria(d), '');
  out.push('Scaled residuals: ');
  out.push(...printNamedVector(['Min', '1Q', 'Median', '3Q', 'Max'], formatNumbers(zapsmall(d.scaledResidualQuantiles, DIGITS + 1), DIGITS)), '');
  out.push('Random effects:', ...randomEffects(d));
  out.push(
    ...catFill([
      `Number of obs: ${d.nobs}, groups: `,
      Object.entries(d.ngroups)
        .map(([g, n]) => `${g}, ${n}`)
        .join('; '),
    ]),
  );
  if (d.coefficients.length > 0) {
    out.push('', 'Fixed effects:');
    const cols = d.satterthwaite ? ['Estimate', 'Std. Error', 'df', 't value', 'Pr(>|t|)'] : ['Estimate', 'Std. Error', 't value'];
    out.push(
      ...printCoefmat(
        {
          rowNames: d.coefficients.map((c) => c.term),
          colNames: cols,
          values: d.coefficients.map((c) => (d.satterthwaite ? [c.estimate, c.se, c.df, c.t, c.p] : [c.estimate, c.se, c.t])),
        },
        { digits: DIGITS },
      ),
    );
    out.push(...fixedCorrelation(d));
  }
  if (d.convergenceCode !== 0 || d.messages.length > 0 || d.warnings.length > 0) {
    const m = d.convergenceCode === 0 ? '(OK)' : '';
    if (out[out.length - 1] === '') out.pop();
    out.push(`optimizer (${d.optimizerName}) convergence code: ${d.convergenceCode} ${m}`, ...d.messages, ...d.warnings, '');
  }
  return out;
}
