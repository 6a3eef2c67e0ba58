/** The plain-JSON form of an lm fit (its `toJSON()`, the CLI's `--json`); non-finite values become null. */
import type { LmModel } from './lm.js';
import { plainJSON, type Json } from '../text/plain-json.js';

/** The JSON object of an lm fit. */
export function lmJSON(m: LmModel): Json {
  const fit = m.goodnessOfFit();
  return plainJSON({
    kind: 'lm',
    formula: m.formula,
    nobs: m.nobs,
    nDropped: m.nDropped,
    fixef: m.coefficientTable().map(({ term, estimate, se, df, t, p }) => ({ term, estimate, se, df, t, p })),
    sigma: m.sigma,
    dfResid: m.dfResidual,
    rSquared: fit.rSquared,
    adjRSquared: fit.adjRSquared,
    fStatistic: fit.fStatistic,
    residualQuantiles: m.residualQuantiles(),
    logLik: m.logLik(),
    AIC: m.AIC(),
    BIC: m.BIC(),
    warnings: m.warnings,
  });
}
