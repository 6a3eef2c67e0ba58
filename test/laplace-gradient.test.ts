// The exact gradient of glmer's Laplace deviance, computed in the engine (assembly/laplace-gradient.ts through
// src/wasm/laplace-gradient.ts): against central differences of the deviance, and the Hessian-based standard
// errors built on it (glmer's default for nAGQ = 1) against lme4's.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { readDataFile } from '../src/data/read-file.js';
import { fitGlmer, glmer } from '../src/fit/glmer.js';
import { EngineLaplaceGradient } from '../src/wasm/laplace-gradient.js';

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

describe('the exact Laplace gradient in (θ, β), in the engine', () => {
  afterEach(() => vi.restoreAllMocks());

  it('agrees with central differences: logit, probit (observed Hessian), a correlated slope with a crossed term, Poisson with an offset', () => {
    const cbpp = readDataFile('data/cbpp.csv');
    expect(worstGradientError(CBPP, cbpp, { family: 'binomial' })).toBeLessThan(1e-5);
    expect(worstGradientError(CBPP, cbpp, { family: 'binomial', link: 'probit' })).toBeLessThan(1e-5);
    for (const [id, family] of [['sim_slope_bern', 'binomial'], ['sim_offset_pois', 'poisson']]) {
      const g = golden(id);
      expect(worstGradientError(g.formula, readDataFile(`test/fixtures/glmer/${g.data}`), { family })).toBeLessThan(1e-5);
    }
  });

  it("gives its run's deviance up to a constant: differences equal the deviance's (logit, a correlated slope, Poisson with an offset)", () => {
    const cases: [string, ReturnType<typeof readDataFile>, string][] = [[CBPP, readDataFile('data/cbpp.csv'), 'binomial']];
    for (const [id, family] of [['sim_slope_bern', 'binomial'], ['sim_offset_pois', 'poisson']]) {
      const g = golden(id);
      cases.push([g.formula, readDataFile(`test/fixtures/glmer/${g.data}`), family]);
    }
    for (const [formula, data, family] of cases) {
      fitGlmer(formula, data, { family, checkConvergence: false }, {
        inspect: (f, gradient, x) => {
          const points = [x, x.map((v) => v * 1.02 + 0.01), x.map((v, i) => (i % 2 ? v - 0.05 : v + 0.03))].map((p) => Float64Array.from(p));
          for (const p of points) expect(gradient!(p)).not.toBeNull();
          const [d0, d1, d2] = points.map((p) => gradient!.devianceAt(p)!);
          const [f0, f1, f2] = points.map((p) => f(p));
          // the same runs: their differences agree to rounding of a deviance of this size
          expect(Math.abs(d1 - d0 - (f1 - f0))).toBeLessThan(1e-10 * Math.abs(f0));
          expect(Math.abs(d2 - d0 - (f2 - f0))).toBeLessThan(1e-10 * Math.abs(f0));
          expect(gradient!.devianceAt(new Float64Array(x))).toBeUndefined();
        },
      });
    }
  });

  it("is glmer's default for the Hessian behind vcov, with lme4's standard errors to the goldens' 1e-3 (cbpp logit and probit)", () => {
    const cbpp = readDataFile('data/cbpp.csv');
    const calls = vi.spyOn(EngineLaplaceGradient.prototype, 'gradient');
    for (const id of ['cbpp_binom', 'cbpp_probit']) {
      calls.mockClear();
      const g = golden(id);
      const m = glmer(g.formula, cbpp, { family: 'binomial', link: g.link });
      // m = 5 parameters: the exact gradient at θ̂ ± δ in each (the gradient test reads lme4's differences of f,
      // off those gradients' runs), besides one per evaluation of the default stage 2 (BFGS)
      expect(m.optimizer.name).toBe('newton');
      expect(calls).toHaveBeenCalledTimes(10 + m.optimizer.evaluations);
      const se = m.vcov().values.map((row, i) => Math.sqrt(row[i]));
      g.coefficients.forEach((c: Record<string, number>, i: number) => expect(Math.abs(se[i] - c['Std. Error']) / c['Std. Error']).toBeLessThan(1e-3));
      expect(m.warnings).toEqual([]);
    }
  });

  it('is not used for nAGQ = 0 or on request (deriv12), and a failed gradient falls back to deriv12 with the same result', () => {
    const cbpp = readDataFile('data/cbpp.csv');
    const calls = vi.spyOn(EngineLaplaceGradient.prototype, 'gradient');
    glmer(CBPP, cbpp, { family: 'binomial', nAGQ: 0 });
    const deriv12 = fitGlmer(CBPP, cbpp, { family: 'binomial' }, { derivatives: 'deriv12' });
    expect(calls).not.toHaveBeenCalled();
    // a gradient the engine cannot give (null, as for a run that halves a step) leaves lme4's deriv12
    calls.mockReturnValue(null);
    const fallback = glmer(CBPP, cbpp, { family: 'binomial' });
    expect(calls).toHaveBeenCalled();
    expect(fallback.vcov().values).toEqual(deriv12.vcov().values);
  });
});
