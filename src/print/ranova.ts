/**
 * lmerTest's print of ranova(m): the heading, the full model's formula and print.anova's table
 * (npar, logLik, AIC, LRT, Df, Pr(>Chisq); digits 5).
 */
import type { RanovaTable } from '../infer/ranova.js';
import { printCoefmat } from './coefmat.js';

/** Lines of the printed ranova table. */
export function formatRanova(t: RanovaTable): string[] {
  return [
    'ANOVA-like table for random-effects: Single term deletions',
    '',
    'Model:',
    t.model,
    ...printCoefmat(
      {
        rowNames: t.rows.map((r) => r.name),
        colNames: ['npar', 'logLik', 'AIC', 'LRT', 'Df', 'Pr(>Chisq)'],
        values: t.rows.map((r) => [r.npar, r.logLik, r.AIC, r.LRT, r.df, r.p]),
      },
      { digits: 5, csInd: [], tstInd: [], zapInd: [0, 1, 2, 3], hasPvalue: true, naPrint: '' },
    ),
  ];
}
