/**
 * lmerTest's print of ls_means(): heading, the table (df rounded to 1 digit, estimate/SE/limits formatted
 * together, t as the statistic, p with stars; digits 5), the confidence level and the df method.
 */
import type { LsMeansRow } from '../infer/ls-means.js';
import { printCoefmat } from './coefmat.js';
import { roundR } from '../text/format-number.js';

/** Lines of the printed table. */
export function formatLsMeans(rows: LsMeansRow[], level = 0.95): string[] {
  const table = printCoefmat(
    {
      rowNames: rows.map((r) => r.name),
      colNames: ['Estimate', 'Std. Error', 'df', 't value', 'lower', 'upper', 'Pr(>|t|)'],
      values: rows.map((r) => [r.estimate, r.se, roundR(r.df, 1), r.t, r.lower, r.upper, r.p]),
    },
    { digits: 5, csInd: [0, 1, 4, 5], tstInd: [3], hasPvalue: true },
  );
  return ['Least Squares Means table:', '', ...table, '', `  Confidence level: ${Math.round(100 * level)}%`, '  Degrees of freedom method: Satterthwaite '];
}
