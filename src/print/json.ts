/**
 * Machine-readable results (the CLI's `--json` contract): plain objects with R's numbers; NaN and
 * non-finite values become null so the output is valid JSON.
 */
import type { LmModel } from '../fit/lm.js';
import type { LmerModel } from '../fit/lmer-model.js';
import type { AnovaTable } from '../infer/anova-lrt.js';
import type { Json } from '../text/plain-json.js';

/** A number, or null where R would show NA / NaN / Inf. */
function num(x: number | null | undefined): number | null {
  return x === null || x === undefined || !Number.isFinite(x) ? null : x;
}

/** The `--json` object of an lm fit (its toJSON()). */
export const lmJSON = (m: LmModel): Json => m.toJSON();

/** The `--json` object of an lmer fit (its toJSON(): Satterthwaite df and p for the fixed effects). */
export const lmerJSON = (m: LmerModel): Json => m.toJSON();

/** The `--json` object of a likelihood-ratio anova. */
export function anovaJSON(t: AnovaTable): Record<string, unknown> {
  return {
    rows: t.rows.map((r) => ({
      name: r.name,
      formula: r.formula,
      npar: r.npar,
      AIC: num(r.AIC),
      BIC: num(r.BIC),
      logLik: num(r.logLik),
      deviance: num(r.deviance),
      chisq: num(r.chisq),
      df: r.df,
      p: num(r.p),
    })),
    refitML: t.refitML,
    messages: t.messages,
  };
}
