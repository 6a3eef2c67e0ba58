/**
 * lmerTest 3.1-3's print of anova(m): the heading "Type III Analysis of Variance Table with
 * Satterthwaite's method" (Type I / II likewise) and print.anova's table with digits 5 — Sum Sq,
 * Mean Sq, NumDF, DenDF zapsmall()ed and formatted column by column, "F value" the statistic, Pr(>F)
 * with stars. A model without fixed-effect terms besides the intercept prints the heading and the
 * column header only:
 *
 *     Type III Analysis of Variance Table with Satterthwaite's method
 *          Sum Sq Mean Sq NumDF DenDF F value Pr(>F)
 */
import type { Type3Row } from '../infer/anova-type3.js';
import type { RNumber } from '../text/format-number.js';
import { anovaTableLines } from './anova-table.js';

/** One term's F test. */
export interface AnovaFRow {
  term: string;
  sumSq: RNumber;
  meanSq: RNumber;
  numDf: RNumber;
  denDf: RNumber;
  F: RNumber;
  p: RNumber;
}

/** What lmerTest's anova table prints. */
export interface AnovaType3Data {
  /** Hypothesis type in the heading (default 3: "Type III"). */
  type?: 1 | 2 | 3;
  /** Df method in the heading (default "Satterthwaite's"; lmerTest also has "Kenward-Roger's"). */
  ddfName?: string;
  /** The heading line itself, overriding `type` / `ddfName`. */
  heading?: string;
  rows: AnovaFRow[];
}

const COLUMNS = ['Sum Sq', 'Mean Sq', 'NumDF', 'DenDF', 'F value', 'Pr(>F)'];
const ROMAN = { 1: 'I', 2: 'II', 3: 'III' } as const;

/** Lines of the printed table. */
export function anovaType3Lines(d: AnovaType3Data): string[] {
  const heading = d.heading ?? `Type ${ROMAN[d.type ?? 3]} Analysis of Variance Table with ${d.ddfName ?? "Satterthwaite's"} method`;
  return anovaTableLines({
    heading: [heading],
    rowNames: d.rows.map((r) => r.term),
    colNames: COLUMNS,
    values: d.rows.map((r) => [r.sumSq, r.meanSq, r.numDf, r.denDf, r.F, r.p]),
  });
}

/** print(anova(m)) of an lmerTest fit as text, without the final newline. */
export function printAnovaType3(d: AnovaType3Data): string {
  return anovaType3Lines(d).join('\n');
}

/** Lines of the printed type III table of `anovaType3` rows. */
export function formatAnovaType3(rows: Type3Row[]): string[] {
  return anovaType3Lines({ rows });
}
