// BOBYQA against NLopt 2.7.1's NLOPT_LN_BOBYQA as lme4's nloptwrap runs it (references from
// scripts/r/optim-cases.R): same optimum, every evaluation inside the bounds, and no more evaluations
// than NLopt (printed as a table). Plus the stopping rules, non-finite values, fixed variables, n = 1
// and argument errors.
import { afterAll, describe, expect, it } from 'vitest';
import { bobyqa, BOBYQA_DEFAULTS } from '../src/optim/bobyqa.js';
import { defaultInitialStep } from '../src/optim/initial-step.js';
import { runBobyqa } from '../src/optim/bobyqa-solver.js';
import { optimizers } from '../src/optim/index.js';
import { OptionError } from '../src/errors.js';
import type { Objective } from '../src/optim/types.js';
import { loadOptimCases, objectiveOf, quad5, rosenbrock, SETTINGS } from './fixtures/optim/problems.js';

const { cases, deviances } = loadOptimCases();

/** Wraps f to record every point it is given. */
function recording(f: Objective): { f: Objective; points: Float64Array[] } {
  const points: Float64Array[] = [];
  return { f: (x) => (points.push(Float64Array.from(x)), f(x)), points };
}

function expectInside(points: Float64Array[], lower: number[], upper: number[]): void {
  for (const x of points) {
    for (let i = 0; i < x.length; i++) {
      if (!(x[i] >= lower[i] && x[i] <= upper[i])) throw new Error(`evaluated outside the box: x[${i}] = ${x[i]} not in [${lower[i]}, ${upper[i]}]`);
    }
  }
}

const table: string[] = [];

describe('BOBYQA vs NLopt (lme4 nloptwrap settings and tight settings)', () => {
  afterAll(() => {
    console.log(`\nBOBYQA evaluations, ours vs NLopt 2.7.1 (R nloptr 2.0.3):\n${'problem'.padEnd(30)}${'setting'.padEnd(8)}${'ours'.padStart(6)}${'NLopt'.padStart(7)}\n${table.join('\n')}`);
  });

  for (const c of cases) {
    for (const setting of ['lme4', 'tight'] as const) {
      it(`${c.name} (${setting})`, () => {
        const rec = recording(objectiveOf(c, deviances));
        const r = bobyqa(rec.f, c.x0, c.lower, c.upper, SETTINGS[setting]);
        const nl = c.nlopt[setting];
        table.push(`${c.name.padEnd(30)}${setting.padEnd(8)}${String(r.evaluations).padStart(6)}${String(nl.evals).padStart(7)}`);
        expect(r.optimizer).toBe('bobyqa');
        expect(r.evaluations).toBe(rec.points.length);
        expectInside(rec.points, c.lower, c.upper);
        expectInside([r.x], c.lower, c.upper);
        if (nl.message.startsWith('NLOPT_ROUNDOFF')) expect(r.message).toMatch(/converged|rounding/);
        else expect(r.converged).toBe(true);
        const scale = Math.max(1, Math.abs(nl.f));
        // at least as low as NLopt, at NLopt's point
        expect(r.fx).toBeLessThanOrEqual(nl.f + 1e-9 * scale);
        if (setting === 'lme4') {
          // lme4's settings: the same run as NLopt's, so no more evaluations
          expect(r.evaluations).toBeLessThanOrEqual(nl.evals);
          r.x.forEach((v, i) => expect(Math.abs(v - nl.x[i])).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(nl.x[i]))));
          expect(Math.abs(r.fx - nl.f)).toBeLessThanOrEqual(1e-9 * scale);
        } else if (c.optimum && c.fn !== 'deviance') {
          // tight settings: the true optimum
          r.x.forEach((v, i) => expect(Math.abs(v - c.optimum!.x[i])).toBeLessThanOrEqual(1e-6));
          expect(Math.abs(r.fx - c.optimum.f)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(c.optimum.f)));
        } else if (c.optimum) {
          // deviances: the reference is NLopt's tight optimum, itself only as good as a flat
          // deviance allows; f agrees to 1e-9 (relative) and θ to 1e-5
          expect(Math.abs(r.fx - c.optimum.f)).toBeLessThanOrEqual(1e-9 * Math.abs(c.optimum.f));
          r.x.forEach((v, i) => expect(Math.abs(v - c.optimum!.x[i])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(v))));
        }
      });
    }
  }
});

describe('BOBYQA set-up', () => {
  it('uses lme4 nloptwrap defaults', () => {
    expect(BOBYQA_DEFAULTS).toEqual({ maxEvaluations: 100000, ftolAbs: 1e-8, ftolRel: 0, xtolAbs: 1e-8, xtolRel: 1e-4 });
    expect(optimizers.bobyqa).toBe(bobyqa);
  });

  it("computes NLopt's default initial step", () => {
    const I = Infinity;
    const dx = defaultInitialStep(
      Float64Array.from([1, 0, -1.2, 0.5, 0, 3, 2]),
      Float64Array.from([0, -I, -I, 0, 0, -I, 0]),
      Float64Array.from([I, I, I, 1, I, 3, 10]),
    );
    expect(Array.from(dx)).toEqual([0.75, 1, -1.2, 0.25, 1, 3, 1.5]);
  });

  it('stops at maxEvaluations with converged = false', () => {
    const r = bobyqa(rosenbrock, [-1.2, 1], [-5, -5], [5, 5], { maxEvaluations: 20 });
    expect(r.evaluations).toBe(20);
    expect(r.converged).toBe(false);
    expect(r.message).toBe('stopped after 20 evaluations (maxEvaluations)');
    expect(r.fx).toBe(rosenbrock(r.x));
    // even within the first 2n + 1 points
    const s = bobyqa(rosenbrock, [-1.2, 1], [-5, -5], [5, 5], { maxEvaluations: 3 });
    expect([s.evaluations, s.converged]).toEqual([3, false]);
  });

  it('survives non-finite values and stays out of the regions that give them', () => {
    // Rosenbrock with NaN above x2 = 1.8, +Inf left of x1 = -1.7 (both hit by the first points) and
    // +Inf on a wall just past the optimum (hit by later steps)
    const bad = (x: Float64Array): boolean => x[1] > 1.8 || x[0] < -1.7 || x[0] + x[1] > 2.0001;
    const rec = recording((x) => (x[1] > 1.8 ? NaN : bad(x) ? Infinity : rosenbrock(x)));
    const r = bobyqa(rec.f, [-1.2, 1], [-2, -2], [2, 2], SETTINGS.tight);
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 6);
    expect(r.x[1]).toBeCloseTo(1, 6);
    expect(r.fx).toBe(rosenbrock(r.x));
    const hits = rec.points.map((x, k) => (bad(x) ? k : -1)).filter((k) => k >= 0);
    expect(hits.filter((k) => k < 5).length).toBe(2);
    expect(hits.filter((k) => k >= 5).length).toBeGreaterThan(0);
  });

  it('handles non-finite values among the first points, and f never finite', () => {
    const r = bobyqa((x) => (x[0] < 0.5 ? (x[0] + 1) * (x[0] + 1) : Infinity), [0.25], [0], [Infinity]);
    expect(r.x[0]).toBe(0);
    expect(r.fx).toBe(1);
    expect(r.converged).toBe(true);
    const bad = bobyqa(() => NaN, [1, 2], [0, 0], [5, 5]);
    expect(bad.converged).toBe(false);
    expect(bad.fx).toBe(Infinity);
    expect(bad.evaluations).toBe(5);
    expect(bad.message).toMatch(/not finite/);
  });

  it('holds variables with lower = upper fixed, as NLopt eliminates them', () => {
    const rec = recording((x) => (x[1] === 3 ? rosenbrock(Float64Array.from([x[0], x[2]])) : NaN));
    const r = bobyqa(rec.f, [-1.2, 3, 1], [-Infinity, 3, -Infinity], [Infinity, 3, Infinity]);
    const ref = bobyqa(rosenbrock, [-1.2, 1], [-Infinity, -Infinity], [Infinity, Infinity]);
    expect(rec.points.every((x) => x[1] === 3)).toBe(true);
    expect(r.evaluations).toBe(ref.evaluations);
    expect([r.x[0], r.x[2]]).toEqual([ref.x[0], ref.x[1]]);
    const all = bobyqa((x) => x[0] + x[1], [1, 2], [1, 2], [1, 2]);
    expect([all.evaluations, all.fx, all.converged]).toEqual([1, 3, true]);
  });

  it('minimises in one dimension, with the optimum on either bound or inside', () => {
    const up = bobyqa((x) => -x[0], [0.3], [0], [2]);
    expect(up.x[0]).toBe(2);
    const inside = bobyqa((x) => Math.cos(x[0]), [1], [0], [6]);
    expect(inside.x[0]).toBeCloseTo(Math.PI, 3);
    const tight = bobyqa((x) => Math.cos(x[0]), [1], [0], [6], SETTINGS.tight);
    expect(tight.x[0]).toBeCloseTo(Math.PI, 6);
  });

  it('accepts an explicit rhoBeg larger than half the box and an explicit rhoEnd', () => {
    const r = bobyqa(rosenbrock, [0.2, 0.2], [0, 0], [0.5, 0.5], { rhoBeg: 1, rhoEnd: 1e-9, ftolAbs: 0 });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(0.5, 8);
    expect(r.x[1]).toBeCloseTo(0.25, 8);
  });

  it('recovers from destroyed denominators by rebuilding the interpolation set (instead of RESCUE)', () => {
    const I = Infinity;
    const problems: [Objective, number[], number[], number[], number[]][] = [
      [rosenbrock, [-1.2, 1], [-I, -I], [I, I], [1, 1]],
      // by then some coordinates sit on their bounds: the new base moves inside, as Powell's requires
      [quad5, [1, 1, 1, 1, 1], [0, 0, 0, 0, 0], [2, 2, 2, 2, 2], [0, 0.5, 2, 1.2, 0]],
    ];
    for (const [f, x0, lo, hi, opt] of problems) {
      for (const after of [20, 40]) {
        const seen: Float64Array[] = [];
        const out = runBobyqa((y) => (seen.push(Float64Array.from(y)), f(y)), Float64Array.from(x0), Float64Array.from(lo), Float64Array.from(hi), {
          rhoBeg: 0.5,
          rhoEnd: 1e-10,
          ftolAbs: 0,
          ftolRel: 0,
          testRescueAfter: after,
        });
        expect(out.stop).toBe('rho');
        expect(out.restarts).toBe(1);
        expectInside(seen, lo, hi);
        let best = 0;
        seen.forEach((x, k) => {
          if (f(x) < f(seen[best])) best = k;
        });
        seen[best].forEach((v, i) => expect(Math.abs(v - opt[i])).toBeLessThan(1e-6));
      }
    }
  });

  it('rejects bad arguments with OptionError', () => {
    const f = (x: Float64Array): number => x[0] * x[0] + x[1] * x[1];
    expect(() => bobyqa(f, [-6, 1], [-5, -5], [5, 5])).toThrow(OptionError);
    expect(() => bobyqa(f, [1, 1], [2, -5], [1, 5])).toThrow(OptionError);
    expect(() => bobyqa(f, [NaN, 1], [-5, -5], [5, 5])).toThrow(OptionError);
    expect(() => bobyqa(f, [Infinity, 1], [-Infinity, -5], [Infinity, 5])).toThrow(OptionError);
    expect(() => bobyqa(f, [1, 1], [-5], [5, 5])).toThrow(OptionError);
    expect(() => bobyqa(f, [], [], [])).toThrow(OptionError);
    expect(() => bobyqa(f, [1, 1], [-5, -5], [5, 5], { maxEvaluations: 0 })).toThrow(OptionError);
    expect(() => bobyqa(f, [1, 1], [-5, -5], [5, 5], { rhoBeg: -1 })).toThrow(OptionError);
    expect(() => bobyqa(f, [1, 1], [-5, -5], [5, 5], { xtolRel: NaN })).toThrow(OptionError);
  });
});
