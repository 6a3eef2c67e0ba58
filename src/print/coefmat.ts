/**
 * R's printCoefmat (stats 4.2.2): coefficient and anova tables.
 *
 * - The coefficient-like columns (`csInd`, default all before the statistic: Estimate, Std. Error) are
 *   rounded together to max(1, digits − digmin) decimals, digmin = 1 + ⌊log10⌋ of the smallest nonzero
 *   |value|, then formatted with one common format (`format(round(...), digits)`).
 * - The test-statistic columns (`tstInd`) are rounded to dig.tst = max(1, min(5, digits − 1)) decimals and
 *   formatted together.
 * - Every other column (e.g. lmerTest's df, print.anova's Sum Sq) is formatted on its own; `zapInd`
 *   columns are zapsmall()ed first.
 * - A nonzero value that printed as 0 (or a zero that did not) is re-formatted with digits − 1.
 * - NA prints as `naPrint`, NaN as "NaN"; p-values by format.pval(digits = dig.tst, eps = 2.2e-16),
 *   significance stars (left-justified extra column with an empty header) when some p < 0.1, and the
 *   "---" / "Signif. codes:" legend.
 * - The character table is printed by print.default (right-justified, row names left-justified).
 */
import { formatNumbers, roundR, zapsmallNA, type RNumber } from '../text/format-number.js';
import { printMatrix } from '../text/layout.js';
import { formatPval, stars, SIGNIF_LEGEND, DOUBLE_EPS } from './pvalue.js';

/** A numeric table with row and column names; null is NA (NaN prints as "NaN"). */
export interface CoefTable {
  rowNames: string[];
  colNames: string[];
  /** values[row][column] */
  values: RNumber[][];
}

/** printCoefmat's arguments (column indices are 0-based). */
export interface CoefmatOptions {
  /** Significant digits (R: max(3, getOption("digits") − 2) = 5 by default). */
  digits?: number;
  /** Show significance stars (getOption("show.signif.stars"), default true). */
  signifStars?: boolean;
  /** Print the "Signif. codes" legend under the table when stars are shown (default true). */
  signifLegend?: boolean;
  /** Coefficient / standard-error columns; default all columns before the statistic. */
  csInd?: number[];
  /** Test-statistic columns; default the one after the coefficient columns. */
  tstInd?: number[];
  /** Columns to zapsmall before formatting. */
  zapInd?: number[];
  /** Whether the last column holds p-values; default: ≥ 4 columns and its name starts with "Pr(" or "p-v". */
  hasPvalue?: boolean;
  /** Text for NA cells (default "NA"). */
  naPrint?: string;
  /** p-values below this print as "<eps" (default .Machine$double.eps). */
  epsPvalue?: number;
  /** Decimals of the statistic (default max(1, min(5, digits − 1))). */
  digTst?: number;
}

/** as.numeric() of a formatted cell ("" and blanks are NA). */
function parseCell(s: string): number {
  const t = s.trim();
  if (t === '') return NaN;
  if (t === 'Inf') return Infinity;
  if (t === '-Inf') return -Infinity;
  return Number(t);
}

/** Lines printed by printCoefmat (legend included when printed). */
export function printCoefmat(table: CoefTable, options: CoefmatOptions = {}): string[] {
  const digits = options.digits ?? 5;
  const nc = table.colNames.length;
  const nr = table.rowNames.length;
  const last = table.colNames[nc - 1] ?? '';
  const hasPvalue = options.hasPvalue ?? (nc >= 4 && (last.startsWith('Pr(') || last.startsWith('p-v')));
  const k = nc - (hasPvalue ? 1 : 0) - (options.tstInd ? options.tstInd.length : 1);
  const csInd = options.csInd ?? Array.from({ length: Math.max(0, k) }, (_, i) => i);
  const tstInd = options.tstInd ?? (k >= 0 && k < nc ? [k] : []);
  const digTst = options.digTst ?? Math.max(1, Math.min(5, digits - 1));
  const naPrint = options.naPrint ?? 'NA';
  const isNA = (v: RNumber): boolean => v === null || Number.isNaN(v);

  const xm: RNumber[][] = table.values.map((r) => [...r]);
  const col = (j: number): RNumber[] => xm.map((r) => r[j]);
  const Cf: string[][] = table.rowNames.map(() => new Array<string>(nc).fill(''));
  const ina = xm.map((r) => r.map(isNA));

  for (const j of options.zapInd ?? []) {
    const z = zapsmallNA(col(j), digits);
    xm.forEach((r, i) => (r[j] = z[i]));
  }
  if (csInd.length > 0) {
    const all = csInd.flatMap((j) => col(j));
    const finite = all.filter((v): v is number => v !== null && Number.isFinite(v)).map(Math.abs);
    if (finite.length > 0) {
      const nz = finite.filter((v) => v !== 0);
      const digmin = nz.length ? [Math.min(...nz), Math.max(...nz)].map((v) => 1 + Math.floor(Math.log10(v))) : [1];
      const r = Math.max(1, ...digmin.map((dm) => digits - dm));
      const flat: RNumber[] = [];
      for (const j of csInd) for (let i = 0; i < nr; i++) flat.push(xm[i][j] === null ? null : roundR(xm[i][j] as number, r));
      const f = formatNumbers(flat, digits);
      let at = 0;
      for (const j of csInd) for (let i = 0; i < nr; i++) Cf[i][j] = f[at++];
    }
  }
  if (tstInd.length > 0) {
    const flat: RNumber[] = [];
    for (const j of tstInd) for (let i = 0; i < nr; i++) flat.push(xm[i][j] === null ? null : roundR(xm[i][j] as number, digTst));
    const f = formatNumbers(flat, digits);
    let at = 0;
    for (const j of tstInd) for (let i = 0; i < nr; i++) Cf[i][j] = f[at++];
  }
  for (let j = 0; j < nc; j++) {
    if (csInd.includes(j) || tstInd.includes(j) || (hasPvalue && j === nc - 1)) continue;
    formatNumbers(col(j), digits).forEach((s, i) => (Cf[i][j] = s));
  }
  // entries printed as 0 that are not 0 (or the reverse) are formatted again with one digit less
  const redo: [number, number][] = [];
  for (let j = 0; j < nc; j++) {
    if (tstInd.includes(j) || (hasPvalue && j === nc - 1)) continue;
    for (let i = 0; i < nr; i++) {
      if (ina[i][j]) continue;
      const v = xm[i][j] as number;
      const shown = parseCell(Cf[i][j]);
      if (Number.isNaN(shown)) continue;
      if ((v === 0) !== (shown === 0)) redo.push([i, j]);
    }
  }
  if (redo.length > 0) {
    const f = formatNumbers(
      redo.map(([i, j]) => xm[i][j]),
      Math.max(1, digits - 1),
    );
    redo.forEach(([i, j], m) => (Cf[i][j] = f[m]));
  }
  for (let i = 0; i < nr; i++) {
    for (let j = 0; j < nc; j++) {
      if (ina[i][j]) Cf[i][j] = naPrint;
      if (Number.isNaN(table.values[i][j])) Cf[i][j] = 'NaN';
    }
  }
  let showStars = false;
  const colNames = [...table.colNames];
  if (hasPvalue) {
    const pv = table.values.map((r) => r[nc - 1]);
    const okIdx = pv.map((_, i) => i).filter((i) => !ina[i][nc - 1]);
    if (okIdx.length > 0) {
      const f = formatPval(
        okIdx.map((i) => pv[i]),
        digTst,
        options.epsPvalue ?? DOUBLE_EPS,
      );
      okIdx.forEach((i, m) => (Cf[i][nc - 1] = f[m]));
      showStars = (options.signifStars ?? true) && okIdx.some((i) => (pv[i] as number) < 0.1);
      if (showStars) {
        const s = pv.map((p) => stars(p));
        const w = Math.max(...s.map((x) => x.length));
        s.forEach((x, i) => Cf[i].push(x.padEnd(w)));
        colNames.push('');
      }
    }
  }
  // a table without rows has no row names: R labels its (absent) rows "[0,]", 4 characters wide
  const lines = printMatrix(nr === 0 ? null : table.rowNames, colNames, Cf, { leftColumns: showStars ? [nc] : [] });
  if (showStars && (options.signifLegend ?? true)) lines.push('---', SIGNIF_LEGEND);
  return lines;
}

/** printCoefmat's output as text, without the final newline. */
export function coefmatText(table: CoefTable, options: CoefmatOptions = {}): string {
  return printCoefmat(table, options).join('\n');
}
