// lmer against lme4 1.1-31 on every golden model: deviance / REML criterion, logLik, θ, β, SE, σ,
// VarCorr, conditional modes of the first levels, fitted values, singularity and messages.
import { describe, expect, it } from 'vitest';
import { lmer } from '../src/fit/lmer.js';
import { lmerState } from '../src/fit/lmer-state.js';
import { extraLmerIds, goldenData, goldenDataName, goldenIds, loadGolden, relErr } from './helpers/golden.js';

const ids = [...goldenIds('lmer'), ...extraLmerIds()];

describe.each(ids)('lmer golden %s', (id) => {
  const g = loadGolden(id);
  const m = lmer(g.formula, goldenData(g), { REML: g.REML, dataName: goldenDataName(g) });
  const lme4Theta = Object.values(g.theta) as number[];
  // Where the likelihood is flat in θ, both optimizers stop (lme4: xtol_rel 1e-4, ftol_abs 1e-8) at θ
  // that differ by more than 1e-6 while their deviances differ by less than 1e-5 (absolute): the data
  // cannot tell these θ apart. There we compare the quantities that move with θ at 1e-4 instead of
  // 1e-5 / 1e-6.
  const { evaluator } = lmerState(m);
  const devAtLme4 = evaluator.devianceAt(lme4Theta, m.reml);
  const devOurs = evaluator.devianceAt(m.theta, m.reml);
  const maxThetaDiff = Math.max(...lme4Theta.map((t, i) => Math.abs(t - m.theta[i])));
  const flat = maxThetaDiff > 1e-6 && Math.abs(devOurs - devAtLme4) < 1e-5;
  const tol = flat ? 1e-4 : 1e-5;

  it('matches the objective and logLik to 1e-6 relative', () => {
    const ours = g.REML ? m.REMLcrit() : m.deviance();
    const ref = g.REML ? g.REMLcrit : g.deviance;
    expect(relErr(ours!, ref)).toBeLessThan(1e-6);
    expect(relErr(m.logLik(), g.logLik.value)).toBeLessThan(1e-6);
    expect(relErr(m.devianceML(), g.devianceML)).toBeLessThan(1e-6);
    expect(relErr(m.AIC(), g.AIC)).toBeLessThan(1e-6);
    expect(relErr(m.BIC(), g.BIC)).toBeLessThan(1e-6);
    expect(m.npar).toBe(g.logLik.df);
    expect(m.dfResidual).toBe(g['df.residual']);
    expect(m.nobs).toBe(g.nobs);
    expect(m.ngroups()).toEqual(g.ngroups);
  });

  it('finds lme4 θ (1e-4 absolute) or an optimum the likelihood cannot tell from it', () => {
    expect(m.thetaNames).toEqual(Object.keys(g.theta));
    if (maxThetaDiff > 1e-4) {
      expect(flat).toBe(true);
      expect(devOurs).toBeLessThan(devAtLme4);
      expect(maxThetaDiff).toBeLessThan(5e-4);
    }
  });

  it('matches β, standard errors and σ', () => {
    expect(m.fixefNames).toEqual(Object.keys(g.beta));
    const se = m.standardErrors();
    (Object.values(g.beta) as number[]).forEach((b, i) => expect(relErr(m.beta[i], b)).toBeLessThan(tol));
    g.coefficients.forEach((row: Record<string, number>, i: number) => expect(relErr(se[i], row['Std. Error'])).toBeLessThan(tol));
    expect(relErr(m.sigma, g.sigma)).toBeLessThan(1e-5);
  });

  it('matches VarCorr rows', () => {
    const { rows } = m.varCorr();
    expect(rows.length).toBe(g.varcorr.length);
    // (co)variances relative to the largest variance; correlations absolute. On a flat likelihood
    // (often a singular fit) near-zero variances and their correlations are barely determined.
    const vmax = Math.max(...g.varcorr.map((r: { vcov: number }) => Math.abs(r.vcov)));
    const vtol = flat ? 1e-3 : 1e-4;
    const ctol = flat ? 1e-2 : 1e-3;
    g.varcorr.forEach((r: Record<string, unknown>, i: number) => {
      expect(rows[i].group).toBe(r.grp);
      expect(rows[i].var1).toBe(r.var1);
      expect(rows[i].var2).toBe(r.var2);
      expect(Math.abs(rows[i].vcov - (r.vcov as number)) / vmax).toBeLessThan(vtol);
      if (r.sdcor === null) expect(rows[i].sdcor).toBeNaN();
      else if (r.var2 === null) expect(relErr(rows[i].sdcor, r.sdcor as number)).toBeLessThan(flat ? 1e-2 : 1e-4);
      else expect(Math.abs(rows[i].sdcor - (r.sdcor as number))).toBeLessThan(ctol);
    });
  });

  it('matches the conditional modes of the first levels and the fitted values', () => {
    const re = m.ranef();
    for (const [group, ref] of Object.entries(g.ranef_first5 as Record<string, Record<string, unknown>>)) {
      expect(re[group].levels.length).toBe(ref.nlevels);
      expect(re[group].levels.slice(0, 5)).toEqual(ref.levels);
      expect(re[group].columns).toEqual(ref.columns);
      const sd = Math.max(...(ref.values as number[][]).flat().map(Math.abs), 1e-8);
      (ref.values as number[][]).forEach((row, l) =>
        row.forEach((v, j) => expect(Math.abs(re[group].values[l][j] - v)).toBeLessThan((flat ? 1e-2 : 1e-3) * sd + 1e-8)),
      );
    }
    const scale = Math.max(...(g.fitted_first20 as number[]).map(Math.abs));
    (g.fitted_first20 as number[]).forEach((f, i) => expect(Math.abs(m.fitted()[i] - f) / scale).toBeLessThan(flat ? 1e-4 : 1e-6));
  });

  it('reports singularity and messages as lme4 (and lmerTest)', () => {
    expect(m.singular).toBe(g.isSingular);
    expect(m.messages).toEqual(g.fit_messages);
    expect(m.warnings).toEqual(g.fit_warnings);
    expect(m.satterthwaite().warnings).toEqual(g.lmerTest_warnings);
  });

  // Same start (lme4's variance ratios for scalar terms, bit for bit), same BOBYQA steps: the shared
  // goldens take exactly lme4's number of evaluations. Where the count hinges on the deviance's last
  // bits it is not a property of the engine: on sim100k (327339.68 at the optimum) BOBYQA's stopping
  // rule ftol_abs = 1e-8 is 3e-14 relative, and multiplying each deviance by 1 ± 1e-15 (random) gives
  // 57 or 66 evaluations (8 of 11 runs 66); ours take 66, lme4 57. Two extra models differ by a few
  // evaluations for the same reason (md_full_slopes 168 vs 166, pastes_sample 37 vs 36).
  const countHingesOnRounding = ['sim100k_ml'];
  it("takes lme4's number of deviance evaluations", () => {
    if (goldenIds('lmer').includes(id) && !countHingesOnRounding.includes(id)) expect(m.optimizer.evaluations).toBe(g.feval);
    else if (countHingesOnRounding.includes(id)) expect(m.optimizer.evaluations).toBeLessThanOrEqual(Math.ceil(1.2 * g.feval));
    else expect(m.optimizer.evaluations).toBeLessThanOrEqual(Math.ceil(1.05 * g.feval));
  });
});
