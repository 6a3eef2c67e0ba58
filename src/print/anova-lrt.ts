/**
 * print(anova(m1, m2, ...)) of lme4 1.1-31's likelihood-ratio comparison:
 *
 *     Data: sleepstudy
 *     Models:
 *     sleep_ri: Reaction ~ Days + (1 | Subject)
 *     sleep_slope: Reaction ~ Days + (Days | Subject)
 *                 npar    AIC    BIC  logLik deviance  Chisq Df Pr(>Chisq)
 *     sleep_ri       4 1802.1 1814.8 -897.04   1794.1
 *     sleep_slope    6 1763.9 1783.1 -875.97   1751.9 42.139  2  7.072e-10 ***
 *     ---
 *     Signif. codes:  0 ‘***’ 0.001 ‘**’ 0.01 ‘*’ 0.05 ‘.’ 0.1 ‘ ’ 1
 *
 * print.anova with digits 5: npar, AIC, BIC, logLik, deviance zapsmall()ed and formatted column by
 * column, Chisq the statistic (3 decimals before formatting), Df as is, blank cells for NA (the first
 * model's test columns, or a p-value of models with equal npar).
 */
import type { AnovaTable } from '../infer/anova-lrt.js';
import type { RNumber } from '../text/format-number.js';
import { anovaTableLines } from './anova-table.js';

/** One model's row (rows in the order lme4 prints them: by increasing npar). */
export interface AnovaLrtRow {
  /** Model name as given to anova() ("fm1"). */
  model: string;
  npar: number;
  AIC: number;
  BIC: number;
  logLik: number;
  deviance: number;
  /** Likelihood-ratio statistic against the previous row; null (NA) for the first row. */
  Chisq: RNumber;
  Df: RNumber;
  /** Pr(>Chisq); null (NA) for the first row and when Df is 0. */
  p: RNumber;
}

/** What the comparison prints. */
export interface AnovaLrtData {
  /**
   * attr(x, "heading"): "Data: NAME", ["Subset: ..."], "Models:", "name: formula" lines. When absent it
   * is built from `dataName` and `models`.
   */
  heading?: string[];
  /** The data argument's name ("Data:" line). */
  dataName?: string;
  /** Models (in row order) with their formulas deparsed on one line (deparse1). */
  models?: { name: string; formula: string }[];
  rows: AnovaLrtRow[];
}

const COLUMNS = ['npar', 'AIC', 'BIC', 'logLik', 'deviance', 'Chisq', 'Df', 'Pr(>Chisq)'];

/** Lines of the printed comparison, heading included. */
export function anovaLrtLines(d: AnovaLrtData): string[] {
  const heading = d.heading ?? [`Data: ${d.dataName ?? ''}`, 'Models:', ...(d.models ?? []).map((m) => `${m.name}: ${m.formula}`)];
  return anovaTableLines({
    heading,
    rowNames: d.rows.map((r) => r.model),
    colNames: COLUMNS,
    values: d.rows.map((r) => [r.npar, r.AIC, r.BIC, r.logLik, r.deviance, r.Chisq, r.Df, r.p]),
  });
}

/** print(anova(m1, m2, ...)) as text, without the final newline. */
export function printAnovaLrt(d: AnovaLrtData): string {
  return anovaLrtLines(d).join('\n');
}

/** Lines of the printed comparison of an `anovaLRT` result. */
export function formatAnovaLRT(t: AnovaTable): string[] {
  return anovaLrtLines({
    heading: t.heading,
    rows: t.rows.map((r) => ({
      model: r.name,
      npar: r.npar,
      AIC: r.AIC,
      BIC: r.BIC,
      logLik: r.logLik,
      deviance: r.deviance,
      Chisq: r.chisq,
      Df: r.df,
      p: r.p,
    })),
  });
}
