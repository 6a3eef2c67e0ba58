// Satterthwaite's Hessian from the exact gradient (used from EXACT_HESSIAN_FROM variance parameters on,
// kb07's 73) against lmerTest's Richardson Hessian of the deviance: forced on every golden lmer model
// (all have fewer parameters), the t-test df must agree with the default path's (lmerTest's method, whose
// df the summary goldens check) to 1e-6 relative, below the 7 digits summaries print; the asymptotic
// covariance A = 2H⁻¹ to 1e-5 of its largest entry (at a singular fit, θ = 0, the Richardson Hessian of D
// itself is only that accurate: its second differences there lose about half the digits).
import { describe, expect, it } from 'vitest';
import { lmer } from '../src/fit/lmer.js';
import { lmerState } from '../src/fit/lmer-state.js';
import { contrastDf, satterthwaiteBasis, EXACT_HESSIAN_FROM } from '../src/fit/satterthwaite.js';
import { goldenData, goldenDataName, goldenIds, loadGolden, relErr } from './helpers/golden.js';

// the sparse-factored goldens (InstEval) have no dense derivatives: they keep lmerTest's own Hessian
const ids = goldenIds('lmer').filter((id) => !id.startsWith('insteval') && !id.startsWith('sim100k'));

describe.each(ids)('exact-gradient Satterthwaite Hessian on %s', (id) => {
  const g = loadGolden(id);
  it('gives the df and vcov_varpar of lmerTest\'s method', () => {
    const m = lmer(g.formula, goldenData(g), { REML: g.REML, dataName: goldenDataName(g) });
    expect(m.theta.length + 1).toBeLessThan(EXACT_HESSIAN_FROM); // the default path is lmerTest's own
    const ev = lmerState(m).evaluator;
    const source = { n: m.nobs, p: m.p, reml: m.reml, factorAt: ev.factorAt, derivativesAt: ev.derivativesAt };
    const exact = satterthwaiteBasis(source, m.theta, m.sigma, 1);
    const numeric = m.satterthwaite();
    const p = m.p;
    for (let k = 0; k < p; k++) {
      const l = Array.from({ length: p }, (_, i) => (i === k ? 1 : 0));
      expect(relErr(contrastDf(exact, l), contrastDf(numeric, l))).toBeLessThan(1e-6);
    }
    const A = exact.vcovVarpar;
    const scale = Math.max(...Array.from(numeric.vcovVarpar, Math.abs));
    A.forEach((v, i) => expect(Math.abs(v - numeric.vcovVarpar[i]) / scale).toBeLessThan(1e-5));
  });
});
