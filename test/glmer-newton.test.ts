// glmer's default stage 2, BFGS on the exact Laplace gradient ('newton'), on fits lme4 1.1-31 ends near a
// boundary (a grouping that explains nothing beyond a fixed effect: its sd goes to 0) or with a correlated
// by-item slope (scripts/r/glmer-newton-cases.R). BFGS minimises over all of ℝ for θ (the deviance is even
// in each column of T) and so reaches an sd of exactly 0 where lme4's optimizers stop just above it.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { readDataFile } from '../src/data/read-file.js';
import { glmer } from '../src/fit/glmer.js';

interface Case {
  id: string;
  data: string;
  family: 'binomial' | 'poisson';
  formula: string;
  minus2logLik: number;
  theta: number[];
  beta: Record<string, number>;
  se: number[];
  feval: number;
}
const cases: Case[] = JSON.parse(readFileSync('test/fixtures/glmer/newton_cases.json', 'utf8'));

describe("glmer's BFGS stage 2 at a boundary and with a correlated slope, against lme4", () => {
  for (const c of cases) {
    it(`${c.id}: lme4's optimum or lower, in fewer evaluations than lme4's Nelder–Mead`, { timeout: 60_000 }, () => {
      const m = glmer(c.formula, readDataFile(c.data), { family: c.family });
      expect(m.optimizer.name).toBe('newton');
      expect(m.optimizer.converged).toBe(true);
      // no worse than lme4's −2 log L beyond rounding (these end at or below it)
      expect(m.minus2LogLik()).toBeLessThanOrEqual(c.minus2logLik + 1e-9 * c.minus2logLik);
      const theta = Object.values(m.theta());
      // θ to 1e-3 (an sd of lme4's 1e-4 or less counts as its 0)
      c.theta.forEach((t, i) => expect(Math.abs(theta[i] - t)).toBeLessThan(1e-3 * Math.max(1, Math.abs(t))));
      const fe = m.fixef();
      for (const [k, b] of Object.entries(c.beta)) expect(Math.abs((fe[k] as number) - b)).toBeLessThan(1e-4 * Math.max(1, Math.abs(b)));
      // lme4's Hessian-based standard errors, at the boundary too (not the R_X ones, a few per cent off there)
      const se = m.standardErrors();
      c.se.forEach((v, i) => expect(Math.abs(se[i] - v) / v).toBeLessThan(1e-3));
      expect(m.optimizer.evaluations).toBeLessThan(c.feval / 10);
      // where lme4's sd is near 0, ours is exactly 0, and the fit says so as lme4 does
      const zero = c.theta.findIndex((t) => t >= 0 && t < 1e-3);
      if (zero >= 0) {
        expect(theta[zero]).toBe(0);
        expect(m.messages).toContain("boundary (singular) fit: see help('isSingular')");
      }
    });
  }
});
