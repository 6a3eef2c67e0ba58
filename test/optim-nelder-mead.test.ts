// Bounded Nelder–Mead (lme4's Nelder_Mead rules) on the test problems of scripts/r/optim-cases.R:
// the optimum, every evaluation inside the bounds, and the evaluation count next to lme4's
// Nelder_Mead (printed). Plus the stopping rules, non-finite values and argument errors.
import { afterAll, describe, expect, it } from 'vitest';
import { nelderMead, NELDER_MEAD_DEFAULTS } from '../src/optim/nelder-mead.js';
import { optimizers } from '../src/optim/index.js';
import { OptionError } from '../src/errors.js';
import type { Objective } from '../src/optim/types.js';
import { loadOptimCases, objectiveOf, powellDistances, rosenbrock } from './fixtures/optim/problems.js';

const { cases, deviances } = loadOptimCases();
// Powell's problem has many local minima: a simplex method need not find NLopt's
const smooth = cases.filter((c) => c.fn !== 'powell_dist');

function recording(f: Objective): { f: Objective; points: Float64Array[] } {
  const points: Float64Array[] = [];
  return { f: (x) => (points.push(Float64Array.from(x)), f(x)), points };
}

const table: string[] = [];

describe('Nelder-Mead on the test problems', () => {
  afterAll(() => {
    console.log(`\nNelder-Mead evaluations (lme4 defaults), ours vs lme4's Nelder_Mead:\n${'problem'.padEnd(30)}${'ours'.padStart(6)}${'lme4'.padStart(7)}\n${table.join('\n')}`);
  });

  for (const c of smooth) {
    const ref = c.optimum as { x: number[]; f: number };
    const exact = c.fn !== 'deviance';
    it(`${c.name} (lme4 defaults)`, () => {
      const rec = recording(objectiveOf(c, deviances));
      const r = nelderMead(rec.f, c.x0, c.lower, c.upper);
      table.push(`${c.name.padEnd(30)}${String(r.evaluations).padStart(6)}${String(c.nelderMead.evals).padStart(7)}`);
      expect(r.optimizer).toBe('nelder-mead');
      expect(r.converged).toBe(true);
      expect(r.evaluations).toBe(rec.points.length);
      for (const x of rec.points) x.forEach((v, i) => expect(v >= c.lower[i] && v <= c.upper[i]).toBe(true));
      // xt = 1e-5: f within 1e-7 (relative), x within 1e-4
      expect(Math.abs(r.fx - ref.f)).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(ref.f)));
      r.x.forEach((v, i) => expect(Math.abs(v - ref.x[i])).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(ref.x[i]))));
    });
    it(`${c.name} (xtolAbs = 1e-10)`, () => {
      const r = nelderMead(objectiveOf(c, deviances), c.x0, c.lower, c.upper, { xtolAbs: 1e-10 });
      expect(r.converged).toBe(true);
      const xtol = exact ? 1e-6 : 1e-5;
      r.x.forEach((v, i) => expect(Math.abs(v - ref.x[i])).toBeLessThanOrEqual(xtol * Math.max(1, exact ? 1 : Math.abs(v))));
      expect(Math.abs(r.fx - ref.f)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(ref.f)));
    });
  }
});

describe('Nelder-Mead set-up', () => {
  it("uses lme4's Nelder_Mead defaults", () => {
    expect(NELDER_MEAD_DEFAULTS).toMatchObject({ maxEvaluations: 10000, rhoBeg: 0.02, xtolAbsPerStep: 5e-4 });
    expect(optimizers['nelder-mead']).toBe(nelderMead);
  });

  it('stops at maxEvaluations with converged = false', () => {
    const r = nelderMead(rosenbrock, [-1.2, 1], [-5, -5], [5, 5], { maxEvaluations: 20 });
    expect([r.evaluations, r.converged]).toEqual([20, false]);
    expect(r.message).toBe('stopped after 20 evaluations (maxEvaluations)');
    const p = cases.find((c) => c.name === 'powell-20')!;
    const s = nelderMead(powellDistances, p.x0, p.lower, p.upper);
    expect([s.evaluations, s.converged]).toEqual([10000, false]);
    expect(s.fx).toBeLessThan(powellDistances(Float64Array.from(p.x0)));
  });

  it('treats non-finite values as +Infinity', () => {
    const r = nelderMead((x) => (x[0] < 0.5 ? (x[0] + 1) * (x[0] + 1) : Infinity), [0.25], [0], [Infinity]);
    expect(r.x[0]).toBe(0);
    const s = nelderMead((x) => (x[0] + x[1] > 2.0001 ? NaN : rosenbrock(x)), [-1.2, 1], [-2, -2], [2, 2], { xtolAbs: 1e-10 });
    expect(s.converged).toBe(true);
    expect(s.x[0]).toBeCloseTo(1, 6);
    expect(s.x[1]).toBeCloseTo(1, 6);
  });

  it('builds the first simplex inside the box and holds fixed variables', () => {
    const rec = recording((x) => (x[0] - 2) * (x[0] - 2) + (x[1] - 3) * (x[1] - 3) + x[2] * x[2]);
    const r = nelderMead(rec.f, [1, 3, 0.01], [0, 3, 0], [1, 3, 1]);
    expect(rec.points.slice(0, 3).map((x) => Array.from(x))).toEqual([
      [1, 3, 0.01],
      [0.98, 3, 0.01],
      [1, 3, 0.03],
    ]);
    expect(r.x[0]).toBe(1);
    expect(r.x[1]).toBe(3);
    expect(r.x[2]).toBeLessThan(1e-4);
  });

  it('rejects bad arguments with OptionError', () => {
    const f = (x: Float64Array): number => x[0] * x[0];
    expect(() => nelderMead(f, [-6], [-5], [5])).toThrow(OptionError);
    expect(() => nelderMead(f, [1], [2], [1])).toThrow(OptionError);
    expect(() => nelderMead(f, [NaN], [-5], [5])).toThrow(OptionError);
    expect(() => nelderMead(f, [1], [-5], [5], { rhoBeg: 0 })).toThrow(OptionError);
    // a box too narrow for the step to show in floating point
    expect(() => nelderMead(f, [1e20], [1e20], [1e20 + 2e4])).toThrow(OptionError);
  });
});
