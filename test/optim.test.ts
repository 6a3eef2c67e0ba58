// The optimizers on test functions (bounds respected, optimum reached) and allFit on a real model.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bobyqa } from '../src/optim/bobyqa.js';
import { nelderMead } from '../src/optim/nelder-mead.js';
import { lmer } from '../src/fit/lmer.js';
import { allFit } from '../src/fit/all-fit.js';
import { readDataFile } from '../src/data/read-file.js';
import { OptionError } from '../src/errors.js';
import { ROOT } from './helpers/golden.js';

const rosen = (x: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < x.length - 1; i++) s += 100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2;
  return s;
};

describe.each([
  ['bobyqa', bobyqa],
  ['nelder-mead', nelderMead],
] as const)('%s', (_name, opt) => {
  it('minimises Rosenbrock', () => {
    const r = opt(rosen, [-1.2, 1], [-Infinity, -Infinity], [Infinity, Infinity], { rhoBeg: 0.5, rhoEnd: 1e-9, ftolAbs: 0, xtolRel: 1e-12, xtolAbs: 1e-12 });
    expect(r.x[0]).toBeCloseTo(1, 5);
    expect(r.x[1]).toBeCloseTo(1, 5);
    expect(r.converged).toBe(true);
  });
  it('stops at an active bound and never evaluates outside the box', () => {
    const seen: number[][] = [];
    const f = (x: Float64Array): number => {
      seen.push(Array.from(x));
      return (x[0] + 1) ** 2 + (x[1] - 2) ** 2 + x[0] * x[1] * 0.1;
    };
    const r = opt(f, [1, 1], [0, 0], [3, 3]);
    expect(r.x[0]).toBeCloseTo(0, 6);
    expect(r.x[1]).toBeCloseTo(2, 4);
    for (const x of seen) {
      expect(x[0]).toBeGreaterThanOrEqual(0);
      expect(x[1]).toBeGreaterThanOrEqual(0);
      expect(x[0]).toBeLessThanOrEqual(3);
      expect(x[1]).toBeLessThanOrEqual(3);
    }
  });
  it('handles one parameter with the optimum on the bound, and non-finite values', () => {
    const r = opt((x) => (x[0] < 0.5 ? (x[0] + 1) ** 2 : Infinity), [0.25], [0], [Infinity]);
    expect(r.x[0]).toBeCloseTo(0, 6);
  });
  it('stops at maxEvaluations with converged = false', () => {
    const r = opt(rosen, [-1.2, 1], [-5, -5], [5, 5], { maxEvaluations: 20 });
    expect(r.converged).toBe(false);
    expect(r.evaluations).toBeLessThanOrEqual(21);
  });
  it('rejects starts outside the bounds', () => {
    expect(() => opt(rosen, [-6, 1], [-5, -5], [5, 5])).toThrow(OptionError);
  });
});

describe("BOBYQA's levelFtolAbs (a solve that only starts another method)", () => {
  // a smooth bowl with its minimum 1 at (0.3, −0.2), curvature 2 and 20
  const bowl = (x: Float64Array): number => 1 + (x[0] - 0.3) ** 2 + 10 * (x[1] + 0.2) ** 2;
  it('stops once a trust-region level gains less than it, in fewer evaluations, near the minimum', () => {
    const opts = { rhoBeg: 0.2, rhoEnd: 2e-7, ftolAbs: 0, xtolRel: 0 };
    const full = bobyqa(bowl, [0, 0], [-Infinity, -Infinity], [Infinity, Infinity], opts);
    const early = bobyqa(bowl, [0, 0], [-Infinity, -Infinity], [Infinity, Infinity], { ...opts, levelFtolAbs: 1e-4 });
    expect(early.converged).toBe(true);
    expect(early.message).toMatch(/ftol/);
    expect(early.evaluations).toBeLessThan(full.evaluations);
    // a level's gain below 1e-4 leaves f within about that of its minimum
    expect(early.fx - 1).toBeLessThan(1e-4);
    expect(full.fx - 1).toBeLessThan(1e-12);
  });
  it('is refused when negative', () => {
    expect(() => bobyqa(bowl, [0, 0], [-1, -1], [1, 1], { levelFtolAbs: -1 })).toThrow(OptionError);
  });
});

describe('allFit', () => {
  it('refits with every optimizer and finds the same optimum', () => {
    const m = lmer('Reaction ~ Days + (Days | Subject)', readDataFile(join(ROOT, 'data/sleepstudy.csv')));
    const a = allFit(m);
    expect(a.fits.map((f) => f.optimizer)).toEqual(['bobyqa', 'nelder-mead', 'newton']);
    expect(a.objectiveSpread).toBeLessThan(1e-6);
    expect(a.fixefSpread).toBeLessThan(1e-6);
    expect(a.thetaSpread).toBeLessThan(1e-4);
  });
});
