/**
 * R's print(summary(lm)) (stats:::print.summary.lm, R 4.2.2, digits = 4), line for line:
 *
 *     (blank)
 *     Call:
 *     lm(formula = Reaction ~ Days, data = sleepstudy)      deparse(), broken at width.cutoff 60
 *     (blank)
 *     Residuals:                                            "Weighted Residuals:" with weights
 *          Min       1Q   Median       3Q      Max          zapsmall(quantile(res), 5), when rdf > 5;
 *     -110.848  -27.483    1.546   26.142  139.953          all residuals by name when 0 < rdf ≤ 5;
 *                                                           "ALL p residuals are 0: ..." when rdf = 0
 *     Coefficients:                                         "(k not defined because of singularities)"
 *     printCoefmat(digits = 4) with stars and legend        aliased rows NA
 *     (blank)
 *     Residual standard error: 47.71 on 178 degrees of freedom     format(signif(sigma, 4))
 *       (2 observations deleted due to missingness)
 *     Multiple R-squared:  0.2865,\tAdjusted R-squared:  0.2825     formatC(digits = 4); absent for
 *     F-statistic: 71.46 on 1 and 178 DF,  p-value: 9.894e-15       intercept-only models
 *     (blank)
 */
import { coefmatText } from './coefmat.js';
import { catNumber, formatC, formatNumbers, signifR, zapsmall, type RNumber } from '../text/format-number.js';
import { printNamedVector } from '../text/layout.js';
import { formatPval } from './pvalue.js';
import { quantile7 } from '../stats/quantile.js';
import { deparseCall } from '../formula/deparse-lines.js';

/** One coefficient row; aliased (not estimable) coefficients have null everywhere. */
export interface LmCoefficientRow {
  term: string;
  estimate: RNumber;
  se: RNumber;
  t: RNumber;
  p: RNumber;
}

/** Everything print(summary(lm)) shows, as plain numbers. */
export interface LmSummaryData {
  /**
   * The call as R's deparse() lines, e.g. ["lm(formula = Reaction ~ Days, data = sleepstudy)"]. When
   * absent, the call `lm(formula = <formula>, data = <dataName>)` is deparsed from `formula`.
   */
  callLines?: string[];
  /** Formula text (used when `callLines` is absent). */
  formula?: string;
  /** Name of the data argument (used when `callLines` is absent). */
  dataName?: string;
  /** Residuals (weighted residuals for a weighted fit) in row order; needed when residual df ≤ 5. */
  residuals?: ArrayLike<number>;
  /** Names of the residuals (the data's row names, "1", "2", ...), printed when residual df ≤ 5. */
  residualNames?: string[];
  /** quantile(residuals) (Min, 1Q, Median, 3Q, Max) before zapsmall; computed from `residuals` if absent. */
  residualQuantiles?: number[];
  /** A weighted fit with unequal weights ("Weighted Residuals:"). */
  weighted?: boolean;
  /** Coefficient rows in the model matrix's column order. */
  coefficients: LmCoefficientRow[];
  /** Residual standard error. */
  sigma: number;
  /** Residual degrees of freedom. */
  dfResidual: number;
  /** Rank of the fit (default: number of non-aliased coefficients); R prints it in "ALL p residuals are 0". */
  rank?: number;
  /** Rows dropped for missing values (prints "(n observation(s) deleted due to missingness)"). */
  nDropped?: number;
  /** R's naprint() text itself, instead of `nDropped`. */
  naMessage?: string;
  rSquared: number;
  adjRSquared: number;
  /** F statistic and its p-value; null for models without one (intercept-only): no R² / F lines then. */
  fStatistic: { value: number; numdf: number; dendf: number; p: RNumber } | null;
}

const DIGITS = 4;

/** R's naprint() of an na.omit action. */
export function naMessage(nDropped: number): string {
  return `${nDropped} observation${nDropped === 1 ? '' : 's'} deleted due to missingness`;
}

/** @deprecated Use `catNumber` from format-number.js. */
export { catNumber };

/** The call lines of the summary. */
function callLines(s: LmSummaryData): string[] {
  if (s.callLines) return s.callLines;
  if (s.formula === undefined) throw new Error('print summary.lm: give callLines or formula');
  const args: { name: string; value: string }[] = [{ name: 'formula', value: s.formula }];
  if (s.dataName !== undefined) args.push({ name: 'data', value: s.dataName });
  return deparseCall('lm', args);
}

/** Lines of print(summary(lm)); the last is '' (R ends with an empty line). */
export function formatLmSummary(s: LmSummaryData): string[] {
  const out: string[] = ['', 'Call:', ...callLines(s), '', s.weighted ? 'Weighted Residuals:' : 'Residuals:'];
  const rdf = s.dfResidual;
  const rank = s.rank ?? s.coefficients.filter((c) => c.estimate !== null).length;
  if (rdf > 5) {
    const q = s.residualQuantiles ?? quantile7(s.residuals ?? []);
    const z = zapsmall(q, DIGITS + 1);
    out.push(...printNamedVector(['Min', '1Q', 'Median', '3Q', 'Max'], formatNumbers(z, DIGITS)));
  } else if (rdf > 0) {
    const r = Array.from(s.residuals ?? []);
    const names = s.residualNames ?? r.map((_, i) => String(i + 1));
    out.push(...printNamedVector(names, formatNumbers(r, DIGITS)));
  } else {
    out.push(`ALL ${rank} residuals are 0: no residual degrees of freedom!`);
  }
  if (s.coefficients.length === 0) {
    out.push('', 'No Coefficients');
  } else {
    const nAliased = s.coefficients.length - rank;
    out.push('', nAliased > 0 ? `Coefficients: (${nAliased} not defined because of singularities)` : 'Coefficients:');
    out.push(
      ...coefmatText(
        {
          rowNames: s.coefficients.map((c) => c.term),
          colNames: ['Estimate', 'Std. Error', 't value', 'Pr(>|t|)'],
          values: s.coefficients.map((c) => [c.estimate, c.se, c.t, c.p]),
        },
        { digits: DIGITS },
      ).split('\n'),
    );
  }
  out.push('', `Residual standard error: ${formatNumbers([signifR(s.sigma, DIGITS)])[0]} on ${catNumber(rdf)} degrees of freedom`);
  const na = s.naMessage ?? (s.nDropped ? naMessage(s.nDropped) : '');
  if (na !== '') out.push(`  (${na})`);
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

/** print(summary(lm)) as text: R's output without its final newline (it ends in an empty line). */
export function printLmSummary(s: LmSummaryData): string {
  return formatLmSummary(s).join('\n');
}
