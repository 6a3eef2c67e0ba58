// optimizer: 'newton' (BFGS on the exact gradient) reaches lme4's optimum, or a lower one, on every golden
// lmer model.
import { describe, expect, it } from 'vitest';
import { lmer } from '../src/fit/lmer.js';
import { newton } from '../src/optim/newton.js';
import { engineFor } from './helpers/engine-input.js';
import { extraLmerIds, goldenData, goldenDataName, goldenIds, loadGolden } from './helpers/golden.js';

const ids = [...goldenIds('lmer'), ...extraLmerIds()];

describe.each(ids)('newton on golden %s', (id) => {
  const g = loadGolden(id);
  const m = lmer(g.formula, goldenData(g), { REML: g.REML, dataName: goldenDataName(g), optimizer: 'newton', checkConvergence: false });
  const ref = (g.REML ? g.REMLcrit : g.deviance) as number;
  const ours = (g.REML ? m.REMLcrit() : m.deviance()) as number;
  const lme4Theta = Object.values(g.theta) as number[];

  it('reaches lme4 objective or lower (1e-6 relative)', () => {
    expect(m.optimizer.converged).toBe(true);
    expect((ours - ref) / Math.abs(ref)).toBeLessThan(1e-6);
  });

  it('finds θ in the feasible region, close to lme4 unless the likelihood is flat or ours is lower', () => {
    m.theta.forEach((t, i) => expect(t).toBeGreaterThanOrEqual(m.lower[i]));
    const devAtLme4 = engineFor(g.formula, goldenData(g)).deviance(Float64Array.from(lme4Theta), m.reml);
    const maxThetaDiff = Math.max(...lme4Theta.map((t, i) => Math.abs(t - m.theta[i])));
    // θ differ by more than 1e-3 only where the deviance cannot tell them apart (as lmer-golden's test)
    // or where ours is the better optimum (md_uncorr_factor, below)
    if (maxThetaDiff > 1e-3) expect(ours - devAtLme4).toBeLessThan(1e-4);
  });
});

describe('newton on md_uncorr_factor: a lower optimum than lme4 and BOBYQA', () => {
  // Effect_Size ~ Condition + (Condition || SubjectID): the second term (0 + Condition | SubjectID) has a
  // 2×2 factor T; lme4 (and our BOBYQA) stop with its first diagonal θ on the bound 0, where the
  // bounded search cannot continue, at 7482.6558. Over unbounded θ (a column's sign does not change the
  // deviance) newton reaches a feasible θ with a REML criterion 7.45 lower, where the exact gradient vanishes.
  const g = loadGolden('md_uncorr_factor');
  const m = lmer(g.formula, goldenData(g), { REML: g.REML, dataName: goldenDataName(g), optimizer: 'newton' });
  const engine = engineFor(g.formula, goldenData(g));

  it('is a stationary point inside the feasible region, below lme4 optimum', () => {
    expect(m.theta.every((t, i) => t > m.lower[i] + 0.1)).toBe(true);
    expect(g.REMLcrit - m.REMLcrit()!).toBeGreaterThan(7);
    expect(engine.deviance(m.theta, true)).toBe(m.REMLcrit());
    const grad = engine.devianceGradient(m.theta, true)!;
    grad.forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-3));
    // BOBYQA started there stays there
    const again = lmer(g.formula, goldenData(g), { REML: true, dataName: goldenDataName(g), start: m.theta });
    expect(Math.abs(again.REMLcrit()! - m.REMLcrit()!)).toBeLessThan(1e-6);
  });
});

describe('newton with a curvature (options.curvature, lmer: the average-information matrix)', () => {
  // f(x) = ½ (x − a)'Q(x − a) + 3 on θ-shaped bounds (two diagonal entries, one off-diagonal): with its exact
  // Hessian as the curvature the first Newton step lands on the minimum and the next one predicts no gain
  const a = [0.7, -0.4, 1.2];
  const Q = Float64Array.of(4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 2);
  const f = (x: Float64Array): number => {
    let v = 0;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) v += 0.5 * (x[i] - a[i]) * Q[i * 3 + j] * (x[j] - a[j]);
    return v + 3;
  };
  const gradient = (x: Float64Array): Float64Array => Float64Array.from([0, 1, 2], (i) => [0, 1, 2].reduce((s, j) => s + Q[i * 3 + j] * (x[j] - a[j]), 0));
  const lower = [0, -Infinity, 0];
  const upper = [Infinity, Infinity, Infinity];
  const x0 = [1, 0, 1];

  it('takes Newton steps on it: two evaluations to the minimum of a quadratic', () => {
    const r = newton(f, x0, lower, upper, { gradient, curvature: () => Q });
    expect(r.converged).toBe(true);
    expect(r.evaluations).toBe(2);
    // (the step solves with Q + λI, λ = 1e-10·max Qᵢᵢ: off by about λ/min eig(Q) relative)
    r.x.forEach((v, i) => expect(Math.abs(v - a[i])).toBeLessThan(1e-9));
  });

  it('follows BFGS exactly where the curvature is unavailable (null)', () => {
    const bfgs = newton(f, x0, lower, upper, { gradient });
    const none = newton(f, x0, lower, upper, { gradient, curvature: () => null });
    expect(bfgs.evaluations).toBeGreaterThan(2);
    expect(none.evaluations).toBe(bfgs.evaluations);
    expect(Array.from(none.x)).toEqual(Array.from(bfgs.x));
  });
});
