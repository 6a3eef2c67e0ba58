// glmer's PIRLS runs in the engine but must round as src/fit/family.ts does under Node: assembly/glm-family.ts
// takes exp, log, log1p, expm1 and atan from assembly/fdlibm.ts (V8's algorithms, computed in the engine). A last-bit difference there is enough to send the optimizers of an ill-conditioned fit
// (conv_scaled_bern: a predictor in the thousands, a correlated slope) to another optimum.
import { afterEach, describe, expect, it } from 'vitest';
import { readDataFile } from '../src/data/read-file.js';
import { makeFamily } from '../src/fit/family.js';
import { Pirls } from '../src/fit/pirls.js';
import { useSimdKernels } from '../src/wasm/instance.js';
import { MixedEngine } from '../src/wasm/mixed-engine.js';
import { engineInputFor } from './helpers/engine-input.js';

/** One PIRLS run at θ: the engine's μ against family.ts's linkinv(η), its penalized deviance against family.ts's. */
function compare(file: string, formula: string, familyName: 'binomial' | 'poisson', theta: number[], link?: string): void {
  const input = engineInputFor(formula, readDataFile(file));
  const family = makeFamily(familyName, link);
  const n = input.n;
  const y = Float64Array.from(input.y);
  const weights = new Float64Array(n).fill(1);
  const eta0 = Float64Array.from(y, (v) => family.link.linkfun(family.muStart(v, 1)));
  const pirls = new Pirls(new MixedEngine({ ...input, glm: true }), { family, y, weights, trials: weights }, eta0);
  const r = pirls.run(theta, new Float64Array(n));
  expect(r).not.toBeNull();
  const eta = Float64Array.from(pirls.eta);
  const mu = Float64Array.from(pirls.mu);
  let sumDev = 0;
  for (let i = 0; i < n; i++) {
    expect(mu[i]).toBe(family.link.linkinv(eta[i]));
    sumDev += family.devResid(y[i], mu[i], weights[i]);
  }
  let sqrL = 0;
  for (const v of pirls.u) sqrL += v * v;
  expect(r!.pdev).toBe(sumDev + sqrL);
}

describe("the engine's PIRLS and family.ts", () => {
  afterEach(() => useSimdKernels(true));
  // with assembly/pirls.ts's PAIRS the SIMD kernels take exp and log two rows at a time (fdlibm.ts's exp2x, log2x)
  for (const simd of [true, false]) {
    it(`give bit for bit the same μ and penalized deviance: Bernoulli, logit (${simd ? 'SIMD' : 'scalar'} kernels)`, () => {
      useSimdKernels(simd);
      compare('test/fixtures/glmer/conv_scaled_bern.csv', 'y ~ xs + c + (1 + xs | subj) + (1 | item)', 'binomial', [1, 0.2, 1, 1]);
    });
    it(`give bit for bit the same μ and penalized deviance: Poisson counts with zeros, log (${simd ? 'SIMD' : 'scalar'} kernels)`, () => {
      useSimdKernels(simd);
      compare('test/fixtures/glmer/sim_crossed_pois.csv', 'n ~ x + (x || subj) + (1 | item)', 'poisson', [0.43, 0.33, 0.5]);
    });
  }
  // the rarer links' own functions: cloglog's expm1, cauchit's atan (row by row, no pairs)
  for (const link of ['cloglog', 'cauchit']) {
    it(`give bit for bit the same μ and penalized deviance: Bernoulli, ${link}`, () => {
      compare('test/fixtures/glmer/conv_scaled_bern.csv', 'y ~ xs + c + (1 | subj) + (1 | item)', 'binomial', [0.8, 0.5], link);
    });
  }
});
