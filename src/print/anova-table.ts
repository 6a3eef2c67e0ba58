/**
 * R's print.anova (stats 4.2.2, digits 5): the heading lines, then printCoefmat with the rules chosen from
 * the column names — the statistic columns ("F value", "t value", "F", "Cp", "Chisq") rounded and
 * formatted together, columns ending in "Df" formatted as they are, every other column zapsmall()ed,
 * p-values ("P(" / "Pr(" columns) with stars, NA cells blank.
 */
import { printCoefmat, type CoefTable } from './coefmat.js';

/** An anova table with its heading. */
export interface AnovaTableData extends CoefTable {
  /** attr(x, "heading"): lines printed above the table (strings with "\n" are split). */
  heading: string[];
  /** Significant digits (default 5 = max(getOption("digits") − 2, 3)). */
  digits?: number;
  /** Show stars and their legend (default true). */
  signifStars?: boolean;
}

/** Lines of print.anova. */
export function anovaTableLines(t: AnovaTableData): string[] {
  const cn = t.colNames;
  const nc = cn.length;
  const hasP = nc > 0 && /^(P|Pr)\(/.test(cn[nc - 1]);
  const all = Array.from({ length: hasP ? nc - 1 : nc }, (_, j) => j);
  const tst = [
    ...cn.map((c, j) => (c.slice(1, 7) === ' value' ? j : -1)).filter((j) => j >= 0),
    ...cn.map((c, j) => (['F', 'Cp', 'Chisq'].includes(c) ? j : -1)).filter((j) => j >= 0),
  ];
  const dfCols = cn.map((c, j) => (c.endsWith('Df') ? j : -1)).filter((j) => j >= 0);
  const zap = all.filter((j) => !tst.includes(j) && !dfCols.includes(j));
  const heading = t.heading.flatMap((h) => h.split('\n'));
  return [
    ...heading,
    ...printCoefmat(t, {
      digits: t.digits ?? 5,
      signifStars: t.signifStars ?? true,
      hasPvalue: hasP,
      csInd: [],
      zapInd: zap,
      tstInd: tst,
      naPrint: '',
    }),
  ];
}

/** print(anova table) as text, without the final newline. */
export function printAnovaTable(t: AnovaTableData): string {
  return anovaTableLines(t).join('\n');
}
