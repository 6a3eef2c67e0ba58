/**
 * broom.mixed's tidy / glance / augment of an lmer fit. tidy: the fixed effects with lmerTest's
 * Satterthwaite df, then the random-effects parameters named as broom.mixed names them (sd__(Intercept),
 * cor__(Intercept).Days, sd__Observation for the residual), in as.data.frame(VarCorr(m)) order.
 */
import type { ModelFrame } from '../frame/model-frame.js';
import type { AugmentRow, CoefficientRow, GlanceRow, TidyRow } from './model.js';
import type { VarCorr } from './varcorr.js';
import { augmentRows } from './augment.js';

/** tidy(m): fixed rows then ran_pars rows. */
export function lmerTidy(coefficients: readonly CoefficientRow[], varCorr: VarCorr): TidyRow[] {
  const fixed: TidyRow[] = coefficients.map((c) => ({
    effect: 'fixed',
    group: null,
    term: c.term,
    estimate: c.estimate ?? NaN,
    'std.error': c.se,
    statistic: c.t,
    df: c.df,
    'p.value': c.p,
  }));
  const ranPars: TidyRow[] = varCorr.rows.map((r) => ({
    effect: 'ran_pars',
    group: r.group,
    term: r.group === 'Residual' ? 'sd__Observation' : r.var2 === null ? `sd__${r.var1}` : `cor__${r.var1}.${r.var2}`,
    estimate: r.sdcor,
    'std.error': null,
    statistic: null,
    df: null,
    'p.value': null,
  }));
  return [...fixed, ...ranPars];
}

/** What glance reads from the model. */
interface GlanceSource {
  readonly nobs: number;
  readonly sigma: number;
  readonly reml: boolean;
  readonly dfResidual: number;
  logLik(): number;
  AIC(): number;
  BIC(): number;
  REMLcrit(): number | null;
  deviance(): number | null;
}

/** glance(m): nobs, sigma, logLik, AIC, BIC, REMLcrit (REML) or deviance (ML), df.residual. */
export function lmerGlance(m: GlanceSource): GlanceRow {
  const row: GlanceRow = {
    nobs: m.nobs,
    sigma: m.sigma,
    logLik: m.logLik(),
    AIC: m.AIC(),
    BIC: m.BIC(),
    deviance: m.deviance(),
    'df.residual': m.dfResidual,
  };
  if (m.reml) row.REMLcrit = m.REMLcrit();
  return row;
}

/** augment(m): model-frame rows with .fitted, .resid and .fixed (Xβ̂, broom.mixed's population fit). */
export function lmerAugment(frame: ModelFrame, fitted: number[], residuals: number[], fixed: number[]): AugmentRow[] {
  return augmentRows(frame, { '.fitted': fitted, '.resid': residuals, '.fixed': fixed });
}
