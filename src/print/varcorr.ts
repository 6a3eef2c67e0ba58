/**
 * lme4's formatVC: the random-effects table (Groups, Name, Variance and/or Std.Dev., Corr …) used by
 * summary() (digits 4, both columns) and print(VarCorr(m)) (digits 5, Std.Dev. only).
 */
import { formatNumbers, roundR } from './format-number.js';
import { printMatrix } from './layout.js';

/** One random-effects term as the table shows it. */
export interface VarCorrTerm {
  /** Group name (a second term on the same factor is "g.1"). */
  group: string;
  names: string[];
  sd: number[];
  /** Correlation matrix (p×p) for terms with several effects. */
  corr: number[][] | null;
}

/** Lines of the table, left-justified with an empty row-name column as lme4 prints it. */
export function formatVarCorr(terms: VarCorrTerm[], sigma: number | null, digits: number, comps: ('Variance' | 'Std.Dev.')[]): string[] {
  const rows: string[][] = [];
  const sds: number[] = [];
  for (const t of terms) {
    t.names.forEach((n, i) => {
      rows.push([i === 0 ? t.group : '', n]);
      sds.push(t.sd[i]);
    });
  }
  if (sigma !== null) {
    rows.push(['Residual', '']);
    sds.push(sigma);
  }
  const colNames = ['Groups', 'Name', ...comps];
  const columns = comps.map((c) => formatNumbers(c === 'Variance' ? sds.map((s) => s * s) : sds, digits));
  rows.forEach((r, i) => columns.forEach((col) => r.push(col[i])));
  const maxlen = Math.max(...terms.map((t) => t.names.length));
  if (maxlen > 1) {
    const dig = Math.max(2, digits - 2);
    const ncorr = maxlen - 1;
    const corrRows: string[][] = [];
    for (const t of terms) {
      const p = t.names.length;
      // format(round(x, dig), nsmall = dig) of the whole matrix; diagonal and upper triangle blank
      const flat: number[] = [];
      for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) flat.push(roundR(t.corr ? t.corr[i][j] : i === j ? 1 : 0, dig));
      const f = formatNumbers(flat, 7, dig);
      for (let i = 0; i < p; i++) {
        const row: string[] = [];
        for (let j = 0; j < ncorr; j++) row.push(j < i && j < p ? f[i * p + j] : '');
        corrRows.push(row);
      }
    }
    while (corrRows.length < rows.length) corrRows.push(new Array(ncorr).fill(''));
    rows.forEach((r, i) => r.push(...corrRows[i]));
    colNames.push('Corr', ...new Array(ncorr - 1).fill(''));
  }
  return printMatrix(rows.map(() => ''), colNames, rows, { right: false });
}
