/**
 * print(anova(m1, m2, ...)) as lme4 + R's print.anova show it (digits 5, blank cells for NA).
 */
import type { AnovaTable } from '../infer/anova-lrt.js';
import { printCoefmat } from './coefmat.js';

/** Lines of the printed table, heading included. */
export function formatAnovaLRT(t: AnovaTable): string[] {
  const table = printCoefmat(
    {
      rowNames: t.rows.map((r) => r.name),
      colNames: ['npar', 'AIC', 'BIC', 'logLik', 'deviance', 'Chisq', 'Df', 'Pr(>Chisq)'],
      values: t.rows.map((r) => [r.npar, r.AIC, r.BIC, r.logLik, r.deviance, r.chisq, r.df, r.p]),
    },
    { digits: 5, csInd: [], tstInd: [5], zapInd: [0, 1, 2, 3, 4], hasPvalue: true, naPrint: '' },
  );
  return [...t.heading, ...table];
}
