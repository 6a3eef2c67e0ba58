// Where the finite-difference Hessian is not positive definite, lme4 1.1-31's vcov() warns and uses the R_X-based
// var-cov instead. The case (scripts/r/glmer-vcov-fallback.R) is how that arises in practice: a response that the
// fixed effects separate, fitted perfectly, so the deviance is flat in β and θ.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { readDataFile } from '../src/data/read-file.js';
import { glmer } from '../src/fit/glmer.js';
import { summary } from '../src/index.js';

const ref = JSON.parse(readFileSync('test/fixtures/glmer/vcov_fallback.json', 'utf8'));

describe("glmer's vcov where the Hessian is not positive definite", () => {
  const m = glmer(ref.formula, readDataFile('test/fixtures/glmer/vcov_fallback.csv'), { family: 'binomial' });

  it("gives lme4's warning (on one line) and its Hessian message beside the separation warning", () => {
    expect(m.nobs).toBe(ref.nrow);
    expect(m.warnings).toContain(ref.vcovWarnings[0].replace('\n', ' '));
    expect(m.warnings).toContain(ref.messages.find((t: string) => t.includes('Hessian is numerically singular')));
    expect(m.warnings.some((w) => w.startsWith('complete separation in x and f together'))).toBe(true);
  });

  it("ends at lme4's optimum, a perfect fit, with standard errors that say so (finite, as lme4's above 1e6)", () => {
    expect(Math.abs(m.minus2LogLik() - ref.minus2logLik)).toBeLessThan(1e-9);
    const se = m.standardErrors();
    expect(ref.se.every((v: number) => v > 1e6)).toBe(true);
    se.forEach((v) => {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThan(1e6);
    });
  });

  it('prints the warning in the summary, no NaN, and reports the fit as not cleanly converged in JSON', () => {
    const text = String(summary(m));
    expect(text).toContain('falling back to var-cov estimated from RX');
    expect(text).not.toContain('NaN');
    expect((m.toJSON() as { converged: boolean }).converged).toBe(false);
  });
});
