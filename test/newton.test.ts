// optimizer: 'newton' (BFGS on the exact gradient) reaches lme4's optimum, or a lower one, on every golden
// lmer model.
import { describe, expect, it } from 'vitest';
import { lmer } from '../src/fit/lmer.js';
import { extraLmerIds, goldenData, goldenDataName, goldenIds, loadGolden } from './helpers/golden.js';

const ids = [...goldenIds('lmer'), ...extraLmerIds()];

describe.each(ids)('newton on golden %s', (id) => {
  const g = loadGolden(id);
  const m = lmer(g.formula, goldenData(g), { REML: g.REML, dataName: goldenDataName(g), optimizer: 'newton', checkConvergence: false });
  const ref = (g.REML ? g.REMLcrit : g.deviance) as number;
  const ours = (g.REML ? m.REMLcrit : m.deviance) as number;
  const lme4Theta = Object.values(g.theta) as number[];

  it('reaches lme4 objective or lower (1e-6 relative)', () => {
    expect(m.optimizer.converged).toBe(true);
    expect((ours - ref) / Math.abs(ref)).toBeLessThan(1e-6);
  });

  it('finds θ in the feasible region, close to lme4 where the likelihood is not flat', () => {
    m.theta.forEach((t, i) => expect(t).toBeGreaterThanOrEqual(m.lower[i]));
    const devAtLme4 = m.engineForInference.deviance(Float64Array.from(lme4Theta), m.reml);
    const maxThetaDiff = Math.max(...lme4Theta.map((t, i) => Math.abs(t - m.theta[i])));
    // θ differ by more than 1e-3 only where the deviance cannot tell them apart (as lmer-golden's test)
    if (maxThetaDiff > 1e-3) expect(Math.abs(ours - devAtLme4)).toBeLessThan(1e-4);
  });
});
