// assembly/pirls.ts accumulates the working system of scalar random-effects terms in one pass over the
// unweighted rows (scalarSystem) instead of re-weighting copies of X and Z and running setup.ts's level
// passes. It must give the same bits: one PIRLS step from η₀ is compared with the engine's generic path
// (MixedEngine.reweight: weighted rows, setupChainTerm, setupDense) at the same weights.
import { describe, expect, it } from 'vitest';
import { readDataFile } from '../src/data/read-file.js';
import { makeFamily } from '../src/fit/family.js';
import { MixedEngine } from '../src/wasm/mixed-engine.js';
import { PirlsState } from '../src/wasm/pirls-state.js';
import { engineInputFor } from './helpers/engine-input.js';

/** u and β after one PIRLS step at θ, by the engine's PIRLS and by reweight + evaluate on a second engine. */
function oneStep(file: string, formula: string, familyName: 'binomial' | 'poisson', theta: number[]) {
  const data = readDataFile(file);
  const input = { ...engineInputFor(formula, data), glm: true };
  const family = makeFamily(familyName);
  const n = input.n;
  const y = Float64Array.from(input.y);
  const weights = new Float64Array(n).fill(1);
  const eta0 = Float64Array.from(y, (v) => family.link.linkfun(family.muStart(v, 1)));
  const state = new PirlsState(new MixedEngine(input), { family: familyName, link: family.link.name, y, weights, aic: family.aicRows(y, weights, weights) }, eta0);
  const run = state.run(theta, new Float64Array(n), 1, 0, 0);
  expect(run.steps).toBe(1);
  const generic = new MixedEngine(input);
  const sqrtw = new Float64Array(n);
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const mu = family.link.linkinv(eta0[i]);
    const d = family.link.muEta(eta0[i]);
    sqrtw[i] = Math.sqrt((weights[i] * d * d) / family.variance(mu));
    z[i] = eta0[i] + (y[i] - mu) / d;
  }
  generic.reweight(sqrtw, z);
  expect(generic.evaluate(theta)).not.toBeNull();
  const solution = generic.solve();
  return { engine: { u: Array.from(state.u), beta: Array.from(state.beta) }, generic: { u: Array.from(solution.u), beta: Array.from(solution.beta) } };
}

describe('scalar terms in PIRLS', () => {
  it('a nested chain of two intercepts: the same bits as the generic accumulation', () => {
    const r = oneStep('data/grouseticks.csv', 'TICKS ~ YEAR + cHEIGHT + (1 | BROOD) + (1 | LOCATION)', 'poisson', [1.1, 0.6]);
    expect(r.engine.u).toEqual(r.generic.u);
    expect(r.engine.beta).toEqual(r.generic.beta);
  });

  it('crossed terms with a scalar slope (a dense term, X, two terms on one grouping): the same bits', () => {
    const r = oneStep('test/fixtures/glmer/conv_scaled_bern.csv', 'y ~ xs + c + (1 | subj) + (0 + xs | subj) + (1 | item)', 'binomial', [0.9, 0.001, 0.7]);
    expect(r.engine.u).toEqual(r.generic.u);
    expect(r.engine.beta).toEqual(r.generic.beta);
  });

  // every run's first step has the weights at η₀: from the second run on it copies the blocks the first run saved
  // and accumulates only the working response's entries (they depend on the offset) again
  it("a run's first step from the saved blocks: the same bits as a fresh state's first run", () => {
    const file = 'test/fixtures/glmer/conv_scaled_bern.csv';
    const input = { ...engineInputFor('y ~ xs + c + (1 | subj) + (0 + xs | subj) + (1 | item)', readDataFile(file)), glm: true };
    const family = makeFamily('binomial');
    const n = input.n;
    const y = Float64Array.from(input.y);
    const weights = new Float64Array(n).fill(1);
    const eta0 = Float64Array.from(y, (v) => family.link.linkfun(family.muStart(v, 1)));
    const rows = { family: 'binomial' as const, link: family.link.name, y, weights, aic: family.aicRows(y, weights, weights) };
    const offset = Float64Array.from({ length: n }, (_, i) => 0.25 * Math.sin(i));
    const theta = [0.9, 0.001, 0.7];
    const end = (state: PirlsState, run: { laplace: number; steps: number }) => ({ laplace: run.laplace, steps: run.steps, u: Array.from(state.u), beta: Array.from(state.beta) });
    const cached = new PirlsState(new MixedEngine(input), rows, eta0);
    expect(cached.run([1.1, 0.01, 0.4], new Float64Array(n), 100, 20, 1e-7).status).toBe('ok');
    const second = end(cached, cached.run(theta, offset, 100, 20, 1e-7));
    const fresh = new PirlsState(new MixedEngine(input), rows, eta0);
    const first = end(fresh, fresh.run(theta, offset, 100, 20, 1e-7));
    expect(second.steps).toBeGreaterThan(1);
    expect(second).toEqual(first);
  });
});
