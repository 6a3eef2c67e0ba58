/**
 * At a singular θ̂ lme4's checks end at the singular test, so its messages read neither derivative; the fit
 * then computes them (lme4's @optinfo$derivs) only when they are read. They must be the same numbers as
 * the eager route's, whenever and however often they are read.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lmer } from '../src/index.js';
import { readDataFile } from '../src/data/read-file.js';
import { checkConvergence, copyReport, SINGULAR_MESSAGE } from '../src/fit/convergence.js';
import { ROOT, loadGolden } from './helpers/golden.js';

/** A smooth function of two θ, even in θ₀ like a profiled deviance, with its exact gradient; counts calls. */
function counted() {
  const calls = { f: 0, g: 0 };
  const f = (t: Float64Array): number => {
    calls.f++;
    return (t[0] * t[0] - 0.5) ** 2 + Math.exp(0.3 * t[1]) + t[0] * t[0] * t[1];
  };
  const gradient = (t: Float64Array): Float64Array => {
    calls.g++;
    return Float64Array.of(4 * t[0] * (t[0] * t[0] - 0.5) + 2 * t[0] * t[1], 0.3 * Math.exp(0.3 * t[1]) + t[0] * t[0]);
  };
  return { calls, f, gradient };
}

describe('deferred derivatives at a singular θ̂', () => {
  const lower = Float64Array.of(0, -Infinity);

  for (const route of ['exact gradient', 'deriv12'] as const) {
    it(`${route}: computed on first read only, equal to the eager route bit for bit`, () => {
      const theta = Float64Array.of(2e-5, 0.4);
      const eager = counted();
      const lazy = counted();
      const grad = (c: ReturnType<typeof counted>) => (route === 'exact gradient' ? c.gradient : undefined);
      const reference = checkConvergence(eager.f, theta, lower, eager.f(theta), { gradient: grad(eager) });
      const fval = lazy.f(theta);
      lazy.calls.f = 0;
      const check = checkConvergence(lazy.f, theta, lower, fval, { gradient: grad(lazy), deferWhenSingular: { f: lazy.f, gradient: grad(lazy) } });
      expect(lazy.calls).toEqual({ f: 0, g: 0 });
      expect(check.singular).toBe(true);
      expect(check.messages).toEqual([SINGULAR_MESSAGE]);
      expect(check.lme4Messages).toEqual(reference.lme4Messages);
      expect(check.code).toBe(reference.code);
      // a copy keeps them deferred
      const copy = Object.freeze(copyReport(check, { warnings: [] }));
      expect(lazy.calls).toEqual({ f: 0, g: 0 });
      expect(Array.from(copy.hessian)).toEqual(Array.from(reference.hessian));
      expect(Array.from(copy.gradient)).toEqual(Array.from(reference.gradient));
      const used = { ...lazy.calls };
      expect(used.f + used.g).toBeGreaterThan(0);
      expect(Array.from(check.hessian)).toEqual(Array.from(reference.hessian));
      expect(lazy.calls).toEqual(used);
    });
  }

  it('a θ̂ that is not singular is checked eagerly, as before', () => {
    const theta = Float64Array.of(0.7, 0.4);
    const lazy = counted();
    const check = checkConvergence(lazy.f, theta, lower, lazy.f(theta), { gradient: lazy.gradient, deferWhenSingular: { f: lazy.f } });
    expect(lazy.calls.g).toBe(5);
    expect(Object.getOwnPropertyDescriptor(check, 'hessian')?.get).toBeUndefined();
  });

  it("lmer: Dyestuff2's singular fit keeps lme4's message, and its derivatives read after the engine was given back are the live engine's", () => {
    const g = loadGolden('dyestuff2_reml');
    const dye = readDataFile(join(ROOT, 'data/Dyestuff2.csv'));
    const sleep = readDataFile(join(ROOT, 'data/sleepstudy.csv'));
    const first = lmer('Yield ~ 1 + (1 | Batch)', dye);
    const second = lmer('Yield ~ 1 + (1 | Batch)', dye);
    expect(second.messages).toEqual(g.fit_messages);
    expect(second.warnings).toEqual(g.fit_warnings);
    expect(Object.isFrozen(second.convergence)).toBe(true);
    const live = Array.from(first.convergence.hessian);
    // more fits than the lease keeps live: the second model's engine is given back, then rebuilt
    for (let i = 0; i < 4; i++) lmer('Reaction ~ Days + (Days | Subject)', sleep);
    expect(Array.from(second.convergence.hessian)).toEqual(live);
    expect(Array.from(second.convergence.gradient)).toEqual(Array.from(first.convergence.gradient));
    // lme4's Hessian at its θ̂ = 0 (ours is the same point): deriv12 there, to its rounding
    const lme4H = (g.optimizer as { derivs: { Hessian: { values: number[][] } } }).derivs.Hessian.values[0][0];
    expect(Math.abs(live[0] - lme4H)).toBeLessThan(1e-6 * lme4H);
  });
});
