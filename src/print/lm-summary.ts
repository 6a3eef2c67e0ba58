/**
 * R's print(summary(lm)): Call, residual quantiles, the coefficient table with stars, residual standard
 * error, R² and the F statistic, line for line as R 4.2 prints them (digits = 4).
 */
import { printCoefmat } from './coefmat.js';
import { formatC, formatNumbers, signifR, zapsmall } from './format-number.js';
import { printNamedVector } from './layout.js';
import { formatPval } from './pvalue.js';
import { quantile7 } from '../infer/quantile.js';

/** What print.summary.lm needs. */
export interface LmSummaryData {
  /** The deparsed call, e.g. ["lm(formula = Reaction ~ Days, data = sleepstudy)"]. */
  callLines: string[];
  residuals: ArrayLike<number>;
  /** Labels of the residuals (original row numbers), used when there are ≤ 5 residual df. */
  residualNames: string[];
  /** Coefficient rows in X's order; aliased ones with null numbers. */
  coefficients: { term: string; estimate: number | null; se: number | null; t: number | null; p: number | null }[];
  sigma: number;
  dfResidual: number;
  /** Rows dropped for missing values. */
  nDropped: number;
  rSquared: number;
  adjRSquared: number;
  /** Null for an intercept-only model (R prints no R² and F lines then). */
  fStatistic: { value: number; numdf: number; dendf: number; p: number } | null;
}

const DIGITS = 4;

/** R's cat() of a number: up to 7 significant digits. */
export function catNumber(x: number): string {
  return formatNumbers([x], 7)[0].trim();
}

/** R's naprint for na.omit. */
export function naMessage(nDropped: number): string {
  return `${nDropped} observation${nDropped === 1 ? '' : 's'} deleted due to missingness`;
}

/** Lines of print(summary(lm)) (the text ends with an empty line, as R's). */
export function formatLmSummary(s: LmSummaryData): string[] {
  const out: string[] = ['', 'Call:', ...s.callLines, '', 'Residuals:'];
  const rdf = s.dfResidual;
  if (rdf > 5) {
    const q = quantile7(s.residuals, [0, 0.25, 0.5, 0.75, 1]);
    const z = zapsmall(q, DIGITS + 1);
    out.push(...printNamedVector(['Min', '1Q', 'Median', '3Q', 'Max'], formatNumbers(z, DIGITS)));
  } else if (rdf > 0) {
    out.push(...printNamedVector(s.residualNames, formatNumbers(Array.from(s.residuals), DIGITS)));
  } else {
    out.push(`ALL ${s.residuals.length} residuals are 0: no residual degrees of freedom!`);
  }
  if (s.coefficients.length === 0) {
    out.push('', 'No Coefficients');
  } else {
    const nAliased = s.coefficients.filter((c) => c.estimate === null).length;
    out.push('', nAliased > 0 ? `Coefficients: (${nAliased} not defined because of singularities)` : 'Coefficients:');
    out.push(
      ...printCoefmat(
        {
          rowNames: s.coefficients.map((c) => c.term),
          colNames: ['Estimate', 'Std. Error', 't value', 'Pr(>|t|)'],
          values: s.coefficients.map((c) => [c.estimate, c.se, c.t, c.p]),
        },
        { digits: DIGITS },
      ),
    );
  }
  out.push('', `Residual standard error: ${formatNumbers([signifR(s.sigma, DIGITS)], 7)[0]} on ${catNumber(rdf)} degrees of freedom`);
  if (s.nDropped > 0) out.push(`  (${naMessage(s.nDropped)})`);
  if (s.fStatistic) {
    const f = s.fStatistic;
    out.push(
      `Multiple R-squared:  ${formatC(s.rSquared, DIGITS)},\tAdjusted R-squared:  ${formatC(s.adjRSquared, DIGITS)} `,
      `F-statistic: ${formatC(f.value, DIGITS)} on ${catNumber(f.numdf)} and ${catNumber(f.dendf)} DF,  p-value: ${formatPval([f.p], DIGITS)[0]}`,
    );
  }
  out.push('');
  return out;
}
