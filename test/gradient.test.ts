// The exact gradient of the profiled deviance (assembly/gradient.ts) against central finite differences
// of the deviance, on every golden lmer model (nesting chains of several terms, as (1|a/b) and `||`, among
// them), at lme4's θ̂ and at a point away from the optimum, by ML and by REML.
import { describe, expect, it } from 'vitest';
import { lmer } from '../src/fit/lmer.js';
import { extraLmerIds, goldenData, goldenDataName, goldenIds, loadGolden, engineOf } from './helpers/golden.js';

const ids = [...goldenIds('lmer'), ...extraLmerIds()];

/**
 * Central differences with Richardson extrapolation (steps h and h/2): truncation error O(h⁴), so a
 * step of 1e-3 keeps the rounding of a 2e5-sized deviance (InstEval) below 1e-7 of the gradient. The
 * deviance is smooth in θ everywhere (Λ'Z'ZΛ + I is positive definite for every θ), across 0 too.
 */
function numericGradient(f: (t: Float64Array) => number, theta: Float64Array, h: number): Float64Array {
  const g = new Float64Array(theta.length);
  for (let i = 0; i < theta.length; i++) {
    const d = (step: number): number => {
      const a = Float64Array.from(theta);
      const b = Float64Array.from(theta);
      a[i] += step;
      b[i] -= step;
      return (f(a) - f(b)) / (2 * step);
    };
    g[i] = (4 * d(h / 2) - d(h)) / 3;
  }
  return g;
}

describe.each(ids)('exact gradient %s', (id) => {
  const g = loadGolden(id);
  const m = lmer(g.formula, goldenData(g), { REML: g.REML, dataName: goldenDataName(g), checkConvergence: false });
  const engine = engineOf(m);
  const lme4Theta = Float64Array.from(Object.values(g.theta) as number[]);
  // away from the optimum: off-diagonals moved, diagonals scaled (kept off zero, where the deviance is not smooth in general)
  const away = lme4Theta.map((t, i) => (m.lower[i] === 0 ? Math.max(t, 0.05) * 1.3 + 0.02 : t + 0.1 * (i % 2 ? 1 : -1)));
  for (const reml of [false, true]) {
    for (const [where, theta] of [['at lme4 θ', lme4Theta], ['away', away]] as const) {
      it(`${reml ? 'REML' : 'ML'} ${where}`, () => {
        const exact = engine.devianceGradient(theta, reml);
        expect(exact).not.toBeNull();
        if (exact === null) return;
        const fd = numericGradient((t) => engine.deviance(t, reml), theta, 1e-3);
        const scale = Math.max(1, ...Array.from(fd, Math.abs));
        for (let i = 0; i < theta.length; i++) {
          // at a diagonal θ of 0 the deviance is even in it: both are 0 there
          expect(Math.abs(exact[i] - fd[i]) / scale, `component ${i}: exact ${exact[i]} vs fd ${fd[i]}`).toBeLessThan(1e-6);
        }
      });
    }
  }
});
