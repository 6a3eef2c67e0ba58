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
  varcorr: { group: string; names: string[]; sd: number[]; corr: number[][] | null }[];
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

/** lme4's formatVC table (Groups, Name, Variance, Std.Dev., Corr…). */
function randomEffects(d: LmerSummaryData): string[] {
  const rows: string[][] = [];
  const sds: number[] = [];
  for (const t of d.varcorr) {
    t.names.forEach((n, i) => {
      rows.push([i === 0 ? t.group : '', n]);
      sds.push(t.sd[i]);
    });
  }
  rows.push(['Residual', '']);
  sds.push(d.sigma);
  const variances = formatNumbers(sds.map((s) => s * s), DIGITS);
  const stddevs = formatNumbers(sds, DIGITS);
  rows.forEach((r, i) => r.push(variances[i], stddevs[i]));
  const colNames = ['Groups', 'Name', 'Variance', 'Std.Dev.'];
  const maxlen = Math.max(...d.varcorr.map((t) => t.names.length));
  if (maxlen > 1) {
    const dig = Math.max(2, DIGITS - 2);
    const ncorr = maxlen - 1;
    const corrRows: string[][] = [];
    for (const t of d.varcorr) {
      const p = t.names.length;
      // format(round(x, 2), nsmall = 2) of the whole matrix, upper triangle and diagonal blanked
      const flat: number[] = [];
      for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) flat.push(roundR(t.corr ? t.corr[i][j] : i === j ? 1 : 0, dig));
      const f = formatNumbers(flat, 7, dig);
      for (let i = 0; i < p; i++) {
        const row: string[] = [];
        for (let j = 0; j < ncorr; j++) row.push(j < i && j < p ? f[i * p + j] : '');
        corrRows.push(row);
      }
    }
    corrRows.push(new Array(ncorr).fill(''));
    rows.forEach((r, i) => r.push(...corrRows[i]));
    colNames.push('Corr', ...new Array(ncorr - 1).fill(''));
  }
  return printMatrix(rows.map(() => ''), colNames, rows, { right: false });
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
