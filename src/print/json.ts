/**
 * Machine-readable results (the CLI's `--json` contract): plain objects with R's numbers; NaN and
 * non-finite values become null so the output is valid JSON.
 */
import type { LmModel } from '../fit/lm.js';
import type { LmerModel } from '../fit/lmer-model.js';
import type { AnovaTable } from '../infer/anova-lrt.js';
import { quantile7 } from '../stats/quantile.js';

/** A number, or null where R would show NA / NaN / Inf. */
function num(x: number | null | undefined): number | null {
  return x === null || x === undefined || !Number.isFinite(x) ? null : x;
}

/** The `--json` object of an lm fit. */
export function lmJSON(m: LmModel): Record<string, unknown> {
  const fit = m.fit();
  return {
    kind: 'lm',
    formula: m.formula.text,
    nobs: m.nobs,
    nDropped: m.nDropped,
    fixef: m.coefficientTable().map((r) => ({
      term: r.term,
      estimate: num(r.estimate),
      se: num(r.se),
      df: r.estimate === null ? null : m.dfResidual,
      t: num(r.t),
      p: num(r.p),
    })),
    sigma: num(m.sigma),
    dfResid: m.dfResidual,
    rSquared: num(fit.rSquared),
    adjRSquared: num(fit.adjRSquared),
    fStatistic: fit.f ? { value: num(fit.f.value), numdf: fit.f.numdf, dendf: fit.f.dendf, p: num(fit.f.p) } : null,
    residualQuantiles: m.residualQuantiles().map(num),
    logLik: num(m.logLik),
    AIC: num(m.AIC),
    BIC: num(m.BIC),
    warnings: m.warnings,
  };
}

/** The `--json` object of an lmer fit (Satterthwaite df and p for the fixed effects). */
export function lmerJSON(m: LmerModel): Record<string, unknown> {
  const tests = m.coefficientTests();
  const V = m.vcov;
  const p = m.p;
  return {
    kind: 'lmer',
    formula: m.formula.text,
    reml: m.reml,
    nobs: m.nobs,
    nDropped: m.nDropped,
    ngroups: m.ngroups(),
    logLik: num(m.logLik),
    AIC: num(m.AIC),
    BIC: num(m.BIC),
    deviance: m.reml ? null : num(m.deviance),
    REMLcrit: m.reml ? num(m.REMLcrit) : null,
    dfResid: m.dfResidual,
    sigma: num(m.sigma),
    theta: Array.from(m.theta, num),
    thetaNames: m.thetaNames,
    fixef: m.fixefNames.map((term, i) => ({
      term,
      estimate: num(m.beta[i]),
      se: num(tests[i].se),
      df: num(tests[i].df),
      t: num(tests[i].t),
      p: num(tests[i].p),
    })),
    vcov: Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, j) => num(V[i * p + j]))),
    varcorr: m.varCorr().map((r) => ({ group: r.group, var1: r.var1, var2: r.var2, vcov: num(r.vcov), sdcor: num(r.sdcor) })),
    scaledResidualQuantiles: quantile7(m.scaledResiduals()).map(num),
    converged: m.optimizer.converged && m.warnings.length === 0,
    singular: m.singular,
    messages: [...m.messages],
    warnings: [...m.warnings, ...m.satterthwaite().warnings],
    // warnings lme4 would give that a restart of the optimizer showed to be false
    lme4Warnings: [...(m.convergence.lme4Warnings ?? [])],
    optimizer: { name: m.optimizer.name, evaluations: m.optimizer.evaluations },
    fitMs: Math.round(m.fitMs * 1000) / 1000,
  };
}

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
