/**
 * print(summary(m)) of an lmer fit as lme4 1.1-31 prints it (lme4:::print.summary.merMod, digits 4), with
 * lmerTest 3.1-3's title and Satterthwaite columns or plain lme4's:
 *
 *     Linear mixed model fit by REML. t-tests use Satterthwaite's method [     title wrapped as
 *     lmerModLmerTest]                                                          .prt.methTit does
 *     Formula: Reaction ~ Days + (Days | Subject)                               cat(fill = TRUE)
 *        Data: sleepstudy
 *     (blank)
 *     REML criterion at convergence: 1743.6                                     or AIC BIC logLik
 *     (blank)                                                                   deviance df.resid
 *     Scaled residuals:
 *         Min      1Q  Median      3Q     Max                                   zapsmall(q, 5), digits 4
 *     (blank)
 *     Random effects:                                                           formatVC, digits 4
 *     Number of obs: 180, groups:  Subject, 18
 *     (blank)
 *     Fixed effects:                                                            printCoefmat, digits 4
 *     (blank)
 *     Correlation of Fixed Effects:                                             round(corr, 3), names
 *     optimizer (nloptwrap) convergence code: 0 (OK)                            by abbreviate()
 *     boundary (singular) fit: see help('isSingular')
 *
 * For p > 12 fixed effects lme4 prints (as a message) that the correlation matrix is not shown.
 */
import { abbreviate } from './abbreviate.js';
import { printCoefmat } from './coefmat.js';
import { catNumber, formatNumbers, roundR, zapsmall } from '../text/format-number.js';
import { catFill, printMatrix, printNamedVector, strwrap, PRINT_WIDTH } from '../text/layout.js';
import { deparseFormulaLines, deparseLines, exprDoc } from '../formula/deparse-lines.js';
import { expandFormula } from '../formula/expand.js';
import { quantile7 } from '../stats/quantile.js';
import { formatVarCorr, type VarCorrTerm } from '../text/varcorr.js';

/** One fixed-effect row: estimate, standard error, [Satterthwaite df,] t, [p]. */
export interface LmerCoefficientRow {
  term: string;
  estimate: number;
  se: number;
  /** Denominator df (lmerTest); ignored by the plain lme4 table. */
  df?: number;
  t: number;
  /** Pr(>|t|) (lmerTest); ignored by the plain lme4 table. */
  p?: number;
}

/** Everything the lmer summary prints, as plain data. */
export interface LmerSummaryData {
  /** REML fit (else maximum likelihood). */
  reml: boolean;
  /** lmerTest's title and df / p columns (true), or plain lme4's summary (false). */
  satterthwaite: boolean;
  /** Name of the df method in lmerTest's title (default "Satterthwaite's"). */
  ddfName?: string;
  /** R's deparse() lines of the formula as lme4 keeps it (|| expanded). Either this or `formula`. */
  formulaLines?: string[];
  /** Formula text: `||` is expanded and the result deparsed with R's line breaks (width.cutoff 60). */
  formula?: string;
  /** Name of the data argument ("   Data:" line); null or absent: no Data line. */
  dataName?: string | null;
  /** Name of the prior weights ("Weights:" line, as lme4 prints it); absent or null: unweighted. */
  weightsName?: string | null;
  /** REML criterion at convergence (REML fits). */
  REMLcrit: number | null;
  /** ML fits: AIC, BIC, logLik, deviance, df.resid. */
  AIC: number;
  BIC: number;
  logLik: number;
  deviance: number | null;
  dfResidual: number;
  /** quantile() of the scaled (Pearson) residuals: Min, 1Q, Median, 3Q, Max, before zapsmall. */
  scaledResidualQuantiles?: number[];
  /** The scaled residuals themselves (used when the quantiles are not given). */
  scaledResiduals?: ArrayLike<number>;
  /** Random-effects terms (see varcorr.ts) and the residual standard deviation. */
  varcorr: VarCorrTerm[];
  sigma: number;
  nobs: number;
  /** Levels per grouping factor, in lme4's order (an object keeps insertion order for non-numeric keys). */
  ngroups: Record<string, number> | [string, number][];
  /** Fixed-effect rows. */
  coefficients: LmerCoefficientRow[];
  /** Correlation of the fixed effects: p×p, row-major flat or nested; not needed when p < 2 or p > 12. */
  correlation?: number[] | number[][] | null;
  /** print(x, correlation = ...): undefined is lme4's default (shown when p ≤ correlationMax). */
  showCorrelation?: boolean;
  /** getOption("lme4.summary.cor.max") (default 12). */
  correlationMax?: number;
  /** The printed object's name in the "not shown" note (default "x"). */
  objectName?: string;
  /** lme4's notes about the fixed-effect model matrix (x$fitMsgs, "fit warnings:" block). */
  fitMessages?: string[];
  /** Optimizer name as lme4 reports it ("nloptwrap", "bobyqa", "Nelder_Mead"). */
  optimizerName: string;
  /** optinfo$conv$opt: 0 is success. */
  convergenceCode: number;
  /** optinfo$message, shown in parentheses when the code is not 0. */
  optimizerMessage?: string | null;
  /** lme4's convergence messages (optinfo$conv$lme4$messages), e.g. the singular-fit note. */
  messages: string[];
  /** optinfo$warnings. */
  warnings: string[];
}

const DIGITS = 4;

function ngroupEntries(g: LmerSummaryData['ngroups']): [string, number][] {
  return Array.isArray(g) ? g : Object.entries(g);
}

function flatCorrelation(c: LmerSummaryData['correlation'], p: number): number[] | null {
  if (!c) return null;
  if (Array.isArray(c[0])) return (c as number[][]).flat();
  return (c as number[]).length === p * p ? (c as number[]) : null;
}

/** lme4's methTitle (the ML title ends in a space) with lmerTest's addition. */
function methodTitle(d: LmerSummaryData): string {
  const base = `Linear mixed model fit by ${d.reml ? 'REML' : 'maximum likelihood '}`;
  return d.satterthwaite ? `${base}. t-tests use ${d.ddfName ?? "Satterthwaite's"} method` : base;
}

/** .prt.methTit: "title ['class']", or the title wrapped at width 78 followed by " [class]" with cat(fill). */
function titleLines(d: LmerSummaryData): string[] {
  const mtit = methodTitle(d);
  const cls = d.satterthwaite ? 'lmerModLmerTest' : 'lmerMod';
  if (mtit.length + 5 + cls.length > PRINT_WIDTH) {
    return catFill([...strwrap(mtit, PRINT_WIDTH - 2, 2), ' [', cls, ']'], '');
  }
  return [`${mtit} ['${cls}']`];
}

function formulaLines(d: LmerSummaryData): string[] {
  if (d.formulaLines) return d.formulaLines;
  if (d.formula === undefined) throw new Error('print summary.merMod: give formulaLines or formula');
  try {
    // the formula as lme4 keeps it: `||` terms expanded
    return deparseLines(exprDoc(expandFormula(d.formula).expr));
  } catch {
    return deparseFormulaLines(d.formula);
  }
}

/** .prt.aictab: the REML criterion, or AIC/BIC/logLik/deviance/df.resid rounded to 1 decimal. */
function criteriaLines(d: LmerSummaryData): string[] {
  if (d.reml) return catFill(['REML criterion at convergence:', catNumber(roundR(d.REMLcrit ?? NaN, 1))]);
  const vals = [d.AIC, d.BIC, d.logLik, d.deviance ?? NaN, d.dfResidual].map((v) => roundR(v, 1));
  const f = formatNumbers(vals);
  f[4] = formatNumbers([vals[4]])[0];
  return printNamedVector(['AIC', 'BIC', 'logLik', 'deviance', 'df.resid'], f);
}

function residualLines(d: LmerSummaryData): string[] {
  const q = d.scaledResidualQuantiles ?? quantile7(d.scaledResiduals ?? []);
  return ['Scaled residuals: ', ...printNamedVector(['Min', '1Q', 'Median', '3Q', 'Max'], formatNumbers(zapsmall(q, DIGITS + 1), DIGITS))];
}

/** The fixed-effect correlations as lme4 prints them (format(round(x, 3), nsmall = 3), lower triangle); lmer and glmer. */
export function fixefCorrelationLines(names: string[], corr: number[]): string[] {
  const p = names.length;
  const rns = abbreviate(names, 11);
  const cns = abbreviate(names, 6);
  const f = formatNumbers(
    corr.map((v) => roundR(v, 3)),
    7,
    3,
  );
  const cells: string[][] = [];
  for (let i = 1; i < p; i++) {
    const row: string[] = [];
    for (let j = 0; j < p - 1; j++) row.push(j < i ? f[i * p + j] : '');
    cells.push(row);
  }
  return printMatrix(rns.slice(1), cns.slice(0, p - 1), cells, { right: false });
}

/**
 * print(summary(m)) as text: R's console output without its final newline (when R ends with an empty
 * line, e.g. after the optimizer messages, the text ends with "\n").
 */
export function printLmerSummary(d: LmerSummaryData): string {
  let out = '';
  const put = (lines: string[]): void => {
    for (const l of lines) out += l + '\n';
  };
  put(titleLines(d));
  put(catFill(['Formula:', ...formulaLines(d)]));
  if (d.dataName !== undefined && d.dataName !== null) put(catFill(['   Data:', d.dataName]));
  if (d.weightsName) put(catFill(['Weights:', d.weightsName]));
  put(['']);
  put(criteriaLines(d));
  put(['']);
  put(residualLines(d));
  put(['']);
  put(['Random effects:', ...formatVarCorr(d.varcorr, d.sigma, DIGITS, ['Variance', 'Std.Dev.'])]);
  const groups = ngroupEntries(d.ngroups)
    .map(([g, n]) => `${g}, ${n}`)
    .join('; ');
  put(catFill([`Number of obs: ${d.nobs}, groups: `, groups]));
  const p = d.coefficients.length;
  if (p > 0) {
    put(['', 'Fixed effects:']);
    const cols = d.satterthwaite ? ['Estimate', 'Std. Error', 'df', 't value', 'Pr(>|t|)'] : ['Estimate', 'Std. Error', 't value'];
    put(
      printCoefmat(
        {
          rowNames: d.coefficients.map((c) => c.term),
          colNames: cols,
          values: d.coefficients.map((c) => (d.satterthwaite ? [c.estimate, c.se, c.df ?? NaN, c.t, c.p ?? NaN] : [c.estimate, c.se, c.t])),
        },
        { digits: DIGITS },
      ),
    );
    const corMax = d.correlationMax ?? 12;
    const corr = flatCorrelation(d.correlation, p);
    let show = d.showCorrelation;
    if (show === undefined) {
      show = corr !== null && p <= corMax;
      if (!show && p > corMax) {
        let nam = d.objectName ?? 'x';
        if (nam.length >= 32) nam = '....';
        out += `\nCorrelation matrix not shown by default, as p = ${p} > ${corMax}.\nUse print(${nam}, correlation=TRUE)  or\n    vcov(${nam})        if you need it\n\n`;
      }
    } else if (show && p > corMax) {
      // the summary did not compute the correlations: lme4 says so, then computes them
      out += '\nCorrelation of fixed effects could have been required in summary()\n';
    }
    if (show && corr !== null && p > 1) {
      put(['', 'Correlation of Fixed Effects:', ...fixefCorrelationLines(d.coefficients.map((c) => c.term), corr)]);
    }
  }
  const fitMsgs = d.fitMessages ?? [];
  if (fitMsgs.some((m) => m.length > 0)) put(['fit warnings:', ...fitMsgs]);
  const code = d.convergenceCode;
  if (code > 0 || d.messages.length > 0 || d.warnings.length > 0) {
    const m = code === 0 ? '(OK)' : d.optimizerMessage !== undefined && d.optimizerMessage !== null ? `(${d.optimizerMessage})` : '';
    put([`optimizer (${d.optimizerName}) convergence code: ${code} ${m}`, ...d.messages, ...d.warnings, '']);
  }
  return out.endsWith('\n') ? out.slice(0, -1) : out;
}

/** Lines of print(summary(m)); the last is '' when R's output ends with an empty line. */
export function formatLmerSummary(d: LmerSummaryData): string[] {
  return printLmerSummary(d).split('\n');
}
