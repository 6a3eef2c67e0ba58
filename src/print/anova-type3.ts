/**
 * lmerTest's print of anova(m): "Type III Analysis of Variance Table with Satterthwaite's method" and
 * the table as R's print.anova lays it out (digits 5, Sum/Mean Sq, NumDF, DenDF zapped).
 */
import type { Type3Row } from '../infer/anova-type3.js';
import { printCoefmat } from './coefmat.js';
import { printMatrix } from './layout.js';

const COLUMNS = ['Sum Sq', 'Mean Sq', 'NumDF', 'DenDF', 'F value', 'Pr(>F)'];

/** Lines of the printed table. */
export function formatAnovaType3(rows: Type3Row[]): string[] {
  const head = "Type III Analysis of Variance Table with Satterthwaite's method";
  // R prints an empty table as its header, indented like a row-name column of width 4
  if (rows.length === 0) return [head, '    ' + printMatrix([], COLUMNS, [])[0]];
  return [
    head,
    ...printCoefmat(
      {
        rowNames: rows.map((r) => r.term),
        colNames: COLUMNS,
        values: rows.map((r) => [r.sumSq, r.meanSq, r.numDf, r.denDf, r.F, r.p]),
      },
      { digits: 5, csInd: [], tstInd: [4], zapInd: [0, 1, 2, 3], hasPvalue: true, naPrint: '' },
    ),
  ];
}
