// lme4's profiled deviances as objectives: the TypeScript rebuild in fixtures/optim/problems.ts agrees
// with lme4's devfun, and BOBYQA with the default options (lme4's nloptwrap settings) reaches lmer's
// optimum from lmer's start with no more evaluations than lmer's own fit.
import { describe, expect, it } from 'vitest';
import { bobyqa } from '../src/optim/bobyqa.js';
import { optimizers } from '../src/optim/index.js';
import { loadOptimCases, makeDeviance } from './fixtures/optim/problems.js';

const { cases, deviances } = loadOptimCases();
const devianceCases = cases.filter((c) => c.fn === 'deviance');

describe('profiled deviance rebuilt from the cross-products', () => {
  for (const [name, spec] of Object.entries(deviances)) {
    it(`${name}: equals lme4's devfun`, () => {
      const f = makeDeviance(spec);
      for (const c of spec.checks) {
        expect(Math.abs(f(Float64Array.from(c.theta)) - c.deviance)).toBeLessThanOrEqual(1e-10 * Math.abs(c.deviance));
      }
    });
  }
});

describe("BOBYQA's defaults reproduce lmer's optimization", () => {
  for (const c of devianceCases) {
    const lmer = c.lmer!;
    it(`${c.name}: lmer's optimum in at most lmer's ${lmer.evals} evaluations`, () => {
      const r = bobyqa(makeDeviance(deviances[c.deviance!]), c.x0, c.lower, c.upper);
      expect(r.converged).toBe(true);
      expect(r.evaluations).toBeLessThanOrEqual(lmer.evals);
      expect(Math.abs(r.fx - lmer.deviance)).toBeLessThanOrEqual(1e-9 * Math.abs(lmer.deviance));
      r.x.forEach((v, i) => expect(Math.abs(v - lmer.theta[i])).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(lmer.theta[i]))));
    });
  }

  it('every registered optimizer reaches the same REML criterion (allFit-style)', () => {
    const c = devianceCases.find((d) => d.name === 'sleepstudy-slope-reml')!;
    const f = makeDeviance(deviances[c.deviance!]);
    const fits = Object.entries(optimizers).map(([name, opt]) => ({ name, r: opt(f, c.x0, c.lower, c.upper) }));
    expect(fits.map((x) => x.r.optimizer)).toEqual(['bobyqa', 'nelder-mead', 'newton']);
    for (const { r } of fits) {
      expect(r.converged).toBe(true);
      expect(Math.abs(r.fx - c.lmer!.deviance)).toBeLessThan(1e-6);
    }
  });
});
