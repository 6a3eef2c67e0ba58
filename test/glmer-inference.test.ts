// glmer's ranef (lmer's shape, condVar for every term) and Wald confint against lme4 1.1-31 goldens.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { readDataFile } from '../src/data/read-file.js';
import { glmer } from '../src/fit/glmer.js';
import { allFit, confint, ranef } from '../src/index.js';

const golden = (id: string) => JSON.parse(readFileSync(`test/fixtures/glmer/${id}.json`, 'utf8'));

describe('glmer ranef with conditional variances on three crossed terms (grouseticks_pois)', () => {
  it("keyed by grouping factor as lmer's, with lme4's postVar for every term", { timeout: 120_000 }, () => {
    const g = golden('grouseticks_pois');
    const m = glmer('TICKS ~ YEAR + cHEIGHT + (1 | BROOD) + (1 | INDEX) + (1 | LOCATION)', readDataFile('data/grouseticks.csv'), { family: 'poisson' });
    const re = ranef(m, { condVar: true });
    expect(Object.keys(re).sort()).toEqual(Object.keys(g.ranef_first5).sort());
    for (const [group, ref] of Object.entries(g.ranef_first5) as [string, { levels: string[]; values: number[][]; condVar: number[][][] }][]) {
      const t = re[group];
      expect(t.columns).toEqual(['(Intercept)']);
      expect(t.levels.slice(0, 5)).toEqual(ref.levels);
      // this fit's optimum agrees with lme4's to θ 1e-3 (test/glmer.test.ts), so the modes and variances to 1e-3
      ref.values.forEach((v, i) => expect(Math.abs(t.values[i][0] - v[0])).toBeLessThan(1e-3 * Math.max(1, Math.abs(v[0]))));
      ref.condVar.forEach((v, i) => expect(Math.abs(t.condVar![i][0][0] - v[0][0]) / v[0][0]).toBeLessThan(1e-3));
    }
    expect(ranef(m).BROOD.condVar).toBeUndefined();
  });
});

describe('glmer confint', () => {
  it("Wald intervals: lme4's β ± z·SE, NA rows for θ and no .sigma row (cbpp_binom)", { timeout: 60_000 }, () => {
    const g = golden('cbpp_binom');
    const m = glmer('cbind(incidence, size - incidence) ~ period + (1 | herd)', readDataFile('data/cbpp.csv'), { family: 'binomial' });
    const ci = confint(m, { method: 'Wald' });
    const rows = ci.rows;
    expect(rows.map((r) => r.name)).toEqual(['.sig01', ...g.coefficients.map((c: { term: string }) => c.term)]);
    expect(rows[0].lower).toBeNull();
    const z = 1.959963984540054; // qnorm(0.975)
    g.coefficients.forEach((c: { Estimate: number; 'Std. Error': number }, i: number) => {
      // β to 1e-4 and SE to 1e-3 (the glmer golden tolerances) bound the bounds' error by 1e-4 + z·1e-3·SE
      const tol = 1e-4 * Math.max(1, Math.abs(c.Estimate)) + z * 1e-3 * c['Std. Error'];
      expect(Math.abs(rows[i + 1].lower! - (c.Estimate - z * c['Std. Error']))).toBeLessThan(tol);
      expect(Math.abs(rows[i + 1].upper! - (c.Estimate + z * c['Std. Error']))).toBeLessThan(tol);
    });
    // profile intervals (the default) are tested against lme4 in glmer-profile.test.ts
  });
});

describe('glmer allFit', () => {
  it("the second stage by BOBYQA, Nelder–Mead, the scaled BOBYQA and BFGS all reach lme4's optimum (cbpp_binom)", { timeout: 60_000 }, () => {
    const g = golden('cbpp_binom');
    const m = glmer('cbind(incidence, size - incidence) ~ period + (1 | herd)', readDataFile('data/cbpp.csv'), { family: 'binomial' });
    const a = allFit(m);
    expect(a.fits.map((f) => f.optimizer)).toEqual(['bobyqa', 'nelder-mead', 'bobyqa-scaled', 'newton']);
    for (const f of a.fits) {
      expect(Math.abs(f.objective - g.minus2logLik) / g.minus2logLik).toBeLessThan(1e-6);
      expect(Math.abs(f.theta[0] - (Object.values(g.theta)[0] as number))).toBeLessThan(1e-3);
    }
    // BFGS's refit is the original fit (the default)
    expect(a.fits[3].objective).toBe(m.minus2LogLik());
    expect(String(a)).toContain('$fixef');
    expect(String(a)).toContain('herd.(Intercept)');
  });
});
