/**
 * The plain-JSON form of an lmer fit (its `toJSON()`, the CLI's `--json`): R's numbers with Satterthwaite
 * df and p for the fixed effects; non-finite values become null.
 */
import type { LmerModel } from './lmer-model.js';
import { quantile7 } from '../stats/quantile.js';
import { plainJSON, type Json } from '../text/plain-json.js';

/** The JSON object of an lmer fit. */
export function lmerJSON(m: LmerModel): Json {
  const tests = m.coefficientTable();
  return plainJSON({
    kind: 'lmer',
    formula: m.formula,
    reml: m.reml,
    nobs: m.nobs,
    nDropped: m.nDropped,
    ngroups: m.ngroups(),
    logLik: m.logLik(),
    AIC: m.AIC(),
    BIC: m.BIC(),
    deviance: m.deviance(),
    REMLcrit: m.REMLcrit(),
    dfResid: m.dfResidual,
    sigma: m.sigma,
    theta: m.theta,
    thetaNames: m.thetaNames,
    fixef: tests.map(({ term, estimate, se, df, t, p }) => ({ term, estimate, se, df, t, p })),
    vcov: m.vcov().values,
    varcorr: m.varCorr().rows,
    scaledResidualQuantiles: quantile7(m.scaledResiduals()),
    converged: m.optimizer.converged && m.warnings.length === 0,
    singular: m.singular,
    messages: m.messages,
    warnings: [...m.warnings, ...m.satterthwaite().warnings],
    // warnings lme4 would give that a restart of the optimizer showed to be false
    lme4Warnings: m.convergence.lme4Warnings ?? [],
    optimizer: { name: m.optimizer.name, evaluations: m.optimizer.evaluations },
    fitMs: Math.round(m.fitMs * 1000) / 1000,
  });
}
