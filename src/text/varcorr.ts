/**
 * lme4's formatVC / print(VarCorr(m)): the random-effects table
 *
 *      Groups   Name        Variance Std.Dev. Corr
 *      Subject  (Intercept) 612.10   24.741
 *               Days         35.07    5.922   0.07
 *      Residual             654.94   25.592
 *
 * summary() shows Variance and Std.Dev. with digits 4; print(VarCorr(m)) shows Std.Dev. with digits 5
 * (max(3, getOption("digits") − 2)). Variances are the squared standard deviations, all rows formatted
 * together (format(sd^2, digits)); the standard deviations likewise. Each term's correlation matrix is
 * formatted on its own as format(round(corr, d), nsmall = d), d = max(2, digits − 2), its diagonal and
 * upper triangle blank; the Corr columns are as many as the largest term has effects, minus one. The
 * character matrix is printed left-justified with empty row names.
 */
import { formatNumbers, roundR, type RNumber } from './format-number.js';
import { printMatrix } from './layout.js';

/** One random-effects term as the table shows it. */
export interface VarCorrTerm {
  /** Group name (a second term on the same factor is "g.1"). */
  group: string;
  /** Names of the term's effects ("(Intercept)", "Days"). */
  names: string[];
  /** Standard deviations of the effects. */
  sd: number[];
  /** Correlation matrix (p×p) for terms with several effects (NaN where an SD is 0); null otherwise. */
  corr: number[][] | null;
}

/** The columns formatVC can show. */
export type VarCorrComponent = 'Variance' | 'Std.Dev.';

/** Lines of the table, left-justified with an empty row-name column as lme4 prints it. */
export function formatVarCorr(terms: VarCorrTerm[], sigma: number | null, digits: number, comps: VarCorrComponent[]): string[] {
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
  const maxlen = Math.max(0, ...terms.map((t) => t.names.length));
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
  return printMatrix(
    rows.map(() => ''),
    colNames,
    rows,
    { right: false },
  );
}

/** One row of as.data.frame(VarCorr(m)) (the goldens' `varcorr` field). */
export interface VarCorrRow {
  /** Group ("Subject", "Subject.1", "Residual"). */
  grp: string;
  var1: string | null;
  /** Second effect for a correlation row; null for a standard deviation. */
  var2: string | null;
  vcov: RNumber;
  /** Standard deviation (var2 null) or correlation (var2 set); null or NaN for an undefined correlation. */
  sdcor: RNumber;
}

/** The terms and residual SD of the table from as.data.frame(VarCorr(m)) rows. */
export function varCorrTermsFromRows(rows: readonly VarCorrRow[]): { terms: VarCorrTerm[]; sigma: number | null } {
  const terms: VarCorrTerm[] = [];
  let sigma: number | null = null;
  const byGroup = new Map<string, { names: string[]; sd: number[]; cor: Map<string, number> }>();
  const order: string[] = [];
  for (const r of rows) {
    if (r.grp === 'Residual' && r.var1 === null) {
      sigma = r.sdcor ?? NaN;
      continue;
    }
    let g = byGroup.get(r.grp);
    if (!g) {
      g = { names: [], sd: [], cor: new Map() };
      byGroup.set(r.grp, g);
      order.push(r.grp);
    }
    if (r.var2 === null) {
      g.names.push(r.var1 ?? '');
      g.sd.push(r.sdcor ?? NaN);
    } else {
      g.cor.set(`${r.var1}\u0000${r.var2}`, r.sdcor ?? NaN);
    }
  }
  for (const grp of order) {
    const g = byGroup.get(grp)!;
    const p = g.names.length;
    const corr =
      p > 1
        ? g.names.map((a, i) =>
            g.names.map((b, j) => (i === j ? 1 : (g.cor.get(`${a}\u0000${b}`) ?? g.cor.get(`${b}\u0000${a}`) ?? NaN))),
          )
        : null;
    terms.push({ group: grp, names: g.names, sd: g.sd, corr });
  }
  return { terms, sigma };
}

/** What print(VarCorr(m)) shows. */
export interface VarCorrData {
  /** The random-effects terms in lme4's order. */
  terms: VarCorrTerm[];
  /** Residual standard deviation (null: no Residual row, as for models without a scale). */
  sigma: number | null;
  /** Significant digits (default 5 = max(3, getOption("digits") − 2)). */
  digits?: number;
  /** Columns to show (default ["Std.Dev."]; print(VarCorr(m), comp = c("Variance", "Std.Dev.")) for both). */
  comp?: VarCorrComponent[];
}

/** print(VarCorr(m)) as text, without the final newline. */
export function printVarCorrTable(d: VarCorrData): string {
  return formatVarCorr(d.terms, d.sigma, d.digits ?? 5, d.comp ?? ['Std.Dev.']).join('\n');
}
