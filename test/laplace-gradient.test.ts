// The exact gradient of glmer's Laplace deviance (src/fit/laplace-gradient.ts): against central differences of
// the deviance, and the Hessian-based standard errors built on it against lme4's.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { readDataFile } from '../src/data/read-file.js';
import { fitGlmer } from '../src/fit/glmer.js';

const golden = (id: string) => JSON.parse(readFileSync(`test/fixtures/glmer/${id}.json`, 'utf8'));
const CBPP = 'cbind(incidence, size - incidence) ~ period + (1 | herd)';

/**
 * The largest |exact − central difference| / max(1, |central difference|) over the coordinates, at a point
 * moved off the optimum (the gradient there is of order 1). Step h = 1e-4: the differences' truncation
 * error is O(h²) and their rounding O(ε·|f| / h), both far below the tolerance used.
 */
function worstGradientError(formula: string, data: ReturnType<typeof readDataFile>, options: { family: string; link?: string }): number {
  let worst = Infinity;
  fitGlmer(formula, data, { ...options, checkConvergence: false }, {
    inspect: (f, gradient, x) => {
      expect(gradient).not.toBeNull();
      const at = x.map((v) => v * 1.02 + 0.01);
      const exact = gradient!(Float64Array.from(at))!;
      expect(exact).not.toBeNull();
      worst = 0;
      for (let k = 0; k < at.length; k++) {
        const h = 1e-4 * Math.max(1, Math.abs(at[k]));
        const up = Float64Array.from(at);
        const down = Float64Array.from(at);
        up[k] += h;
        down[k] -= h;
        const fd = (f(up) - f(down)) / (2 * h);
        worst = Math.max(worst, Math.abs(exact[k] - fd) / Math.max(1, Math.abs(fd)));
      }
    },
  });
  return worst;
}

describe('the exact Laplace gradient in (θ, β)', () => {
  it('agrees with central differences: canonical logit, probit (observed Hessian), a correlated slope with a crossed term', () => {
    const cbpp = readDataFile('data/cbpp.csv');
    expect(worstGradientError(CBPP, cbpp, { family: 'binomial' })).toBeLessThan(1e-5);
    expect(worstGradientError(CBPP, cbpp, { family: 'binomial', link: 'probit' })).toBeLessThan(1e-5);
    const g = golden('sim_slope_bern');
    expect(worstGradientError(g.formula, readDataFile(`test/fixtures/glmer/${g.data}`), { family: 'binomial' })).toBeLessThan(1e-5);
  });

  it("gives lme4's Hessian-based standard errors (cbpp logit and probit) to the goldens' 1e-3", () => {
    const cbpp = readDataFile('data/cbpp.csv');
    for (const id of ['cbpp_binom', 'cbpp_probit']) {
      const g = golden(id);
      const m = fitGlmer(g.formula, cbpp, { family: 'binomial', link: g.link }, { derivatives: 'exact' });
      const se = m.vcov().values.map((row, i) => Math.sqrt(row[i]));
      g.coefficients.forEach((c: Record<string, number>, i: number) => expect(Math.abs(se[i] - c['Std. Error']) / c['Std. Error']).toBeLessThan(1e-3));
      expect(m.warnings).toEqual([]);
    }
  });
});
