/**
 * Confidence intervals as lme4's confint(m, method = "Wald"): β̂ ± z·SE for the fixed effects, NA for
 * the variance parameters (rows .sig01, …, .sigma as lme4 names them; a glmer fit of the binomial or
 * Poisson family has no .sigma row, as in lme4).
 */
import type { GlmerModel } from '../fit/glmer-model.js';
import type { LmerModel } from '../fit/lmer-model.js';
import { qnorm } from '../stats/distribution-quantiles.js';

/** One interval (null bounds where lme4 gives NA). */
export interface Interval {
  name: string;
  lower: number | null;
  upper: number | null;
}

/** Wald intervals at `level` (default 0.95). */
export function confintWald(m: LmerModel | GlmerModel, level = 0.95): Interval[] {
  const z = qnorm(1 - (1 - level) / 2);
  const se = m.standardErrors();
  const glmm = m.kind === 'glmer';
  const nTheta = glmm ? Object.keys(m.theta()).length : m.theta.length;
  const names = glmm ? Object.keys(m.fixef()) : m.fixefNames;
  const beta = glmm ? (Object.values(m.fixef()) as number[]) : m.beta;
  const rows: Interval[] = [];
  for (let i = 0; i < nTheta; i++) rows.push({ name: `.sig${String(i + 1).padStart(2, '0')}`, lower: null, upper: null });
  if (!glmm) rows.push({ name: '.sigma', lower: null, upper: null });
  names.forEach((name, i) => rows.push({ name, lower: beta[i] - z * se[i], upper: beta[i] + z * se[i] }));
  return rows;
}

/** R's column labels for a level: "2.5 %", "97.5 %". */
export function intervalLabels(level = 0.95): [string, string] {
  const a = (1 - level) / 2;
  const pct = (p: number): string => `${String(Number((100 * p).toPrecision(3)))} %`;
  return [pct(a), pct(1 - a)];
}
