/**
 * R's printCoefmat: coefficient tables with the estimate-like columns formatted together, the test
 * statistic rounded to dig.tst, p-values by format.pval and significance stars with their legend.
 */
import { formatNumbers, roundR, zapsmall } from './format-number.js';
import { printMatrix } from './layout.js';
import { formatPval, stars, SIGNIF_LEGEND, DOUBLE_EPS } from './pvalue.js';

/** A numeric table with row and column names; null is NA. */
export interface CoefTable {
  rowNames: string[];
  colNames: string[];
  /** values[row][column] */
  values: (number | null)[][];
}

/** printCoefmat's arguments. */
export interface CoefmatOptions {
  /** Significant digits (R: max(3, getOption("digits") − 2) = 5 by default). */
  digits?: number;
  signifStars?: boolean;
  signifLegend?: boolean;
  /** Columns formatted like coefficients and standard errors (0-based); default all before the statistic. */
  csInd?: number[];
  /** Columns holding test statistics (0-based); default the one after the coefficient columns. */
  tstInd?: number[];
  /** Columns to zapsmall (0-based). */
  zapInd?: number[];
  /** Whether the last column holds p-values; default: its name starts with "Pr(" or "p-v". */
  hasPvalue?: boolean;
  naPrint?: string;
}

/** Lines printed by printCoefmat. */
export function printCoefmat(table: CoefTable, options: CoefmatOptions = {}): string[] {
  const digits = options.digits ?? 5;
  const nc = table.colNames.length;
  const last = table.colNames[nc - 1] ?? '';
  const hasPvalue = options.hasPvalue ?? (nc >= 4 && (last.startsWith('Pr(') || last.startsWith('p-v')));
  const k = nc - (hasPvalue ? 1 : 0) - (options.tstInd ? options.tstInd.length : 1);
  const csInd = options.csInd ?? Array.from({ length: k }, (_, i) => i);
  const tstInd = options.tstInd ?? [k];
  const digTst = Math.max(1, Math.min(5, digits - 1));
  const naPrint = options.naPrint ?? 'NA';
  const rows = table.rowNames.length;
  const xm = table.values.map((r) => [...r]);
  const col = (j: number): (number | null)[] => xm.map((r) => r[j]);
  const Cf: string[][] = table.rowNames.map(() => new Array(nc).fill(''));
  const isNA = (v: number | null): boolean => v === null;

  for (const j of options.zapInd ?? []) {
    const vals = col(j).map((v) => (v === null ? NaN : v));
    const z = zapsmall(vals, digits);
    xm.forEach((r, i) => {
      if (r[j] !== null) r[j] = z[i];
    });
  }
  if (csInd.length > 0) {
    const acs = csInd.flatMap((j) => col(j)).filter((v): v is number => v !== null && Number.isFinite(v)).map(Math.abs);
    if (acs.length > 0) {
      const nz = acs.filter((v) => v !== 0);
      const digmin = nz.length ? nz.map((v) => 1 + Math.floor(Math.log10(v))) : [1];
      const r = Math.max(1, digits - Math.max(...digmin), digits - Math.min(...digmin));
      const flat: (number | null)[] = [];
      for (const j of csInd) for (let i = 0; i < rows; i++) flat.push(xm[i][j] === null ? null : roundR(xm[i][j] as number, r));
      const f = formatNumbers(flat, digits);
      let at = 0;
      for (const j of csInd) for (let i = 0; i < rows; i++) Cf[i][j] = f[at++];
    }
  }
  for (const j of tstInd) {
    const f = formatNumbers(col(j).map((v) => (v === null ? null : roundR(v, digTst))), digits);
    f.forEach((s, i) => (Cf[i][j] = s));
  }
  for (let j = 0; j < nc; j++) {
    if (csInd.includes(j) || tstInd.includes(j) || (hasPvalue && j === nc - 1)) continue;
    formatNumbers(col(j), digits).forEach((s, i) => (Cf[i][j] = s));
  }
  // entries that printed as 0 but are not 0 (or vice versa) are re-formatted with one digit less
  const redo: [number, number][] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < nc; j++) {
      if (tstInd.includes(j) || (hasPvalue && j === nc - 1) || isNA(xm[i][j])) continue;
      const v = xm[i][j] as number;
      if ((v === 0) !== (Number(Cf[i][j]) === 0)) redo.push([i, j]);
    }
  }
  if (redo.length > 0) {
    const f = formatNumbers(redo.map(([i, j]) => xm[i][j]), Math.max(1, digits - 1));
    redo.forEach(([i, j], k2) => (Cf[i][j] = f[k2]));
  }
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < nc; j++) {
      if (isNA(xm[i][j])) Cf[i][j] = naPrint;
      else if (Number.isNaN(xm[i][j])) Cf[i][j] = 'NaN';
    }
  }
  let showStars = false;
  const colNames = [...table.colNames];
  if (hasPvalue) {
    const pv = col(nc - 1);
    const ok = pv.map((p) => p !== null && !Number.isNaN(p));
    if (ok.some(Boolean)) {
      const f = formatPval(pv.filter((_, i) => ok[i]), digTst, DOUBLE_EPS);
      let at = 0;
      pv.forEach((_, i) => {
        if (ok[i]) Cf[i][nc - 1] = f[at++];
      });
      showStars = (options.signifStars ?? true) && pv.some((p, i) => ok[i] && (p as number) < 0.1);
      if (showStars) {
        const s = pv.map((p) => stars(p === null || Number.isNaN(p) ? null : p));
        const w = Math.max(...s.map((x) => x.length));
        s.forEach((x, i) => Cf[i].push(x.padEnd(w)));
        colNames.push('');
      }
    }
  }
  const lines = printMatrix(table.rowNames, colNames, Cf, { leftColumns: showStars ? [nc] : [] });
  if (showStars && (options.signifLegend ?? true)) lines.push('---', SIGNIF_LEGEND);
  return lines;
}
