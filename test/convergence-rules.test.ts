// lme4's convergence machinery piece by piece, against R 4.2.2 / lme4 1.1-31
// (fixtures from scripts/r/convergence-cases.R):
//  - deriv12: finite-difference gradient and Hessian of analytic functions, with and without bounds;
//  - checkConv: every branch (singular, NA gradient, scaled gradient, max|grad| and its %g text,
//    negative / zero / large eigenvalues, bad Hessian) with lme4's warnings, messages and codes;
//  - the dense helpers (Cholesky, triangular solves, eigenvalues) and the second opinion's rules.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriv12 } from '../src/fit/finite-differences.js';
import {
  checkConvergence,
  checkDerivatives,
  confirmWithRestart,
  SECOND_OPINION_DEFAULTS,
  SINGULAR_MESSAGE,
} from '../src/fit/convergence.js';
import {
  choleskyLower,
  choleskyReciprocalCondition,
  solveLower,
  solveLowerTransposed,
  symmetricEigenvalues,
} from '../src/linalg/symmetric.js';

const ROOT = join(import.meta.dirname, '..');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const readJson = (name: string): Json => JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'convergence', name), 'utf8'));
const toNumber = (v: number | string): number =>
  v === '-Inf' ? -Infinity : v === 'Inf' ? Infinity : v === 'NaN' || v === 'NA' ? NaN : (v as number);
const vec = (v: Json): Float64Array => Float64Array.from((v as (number | string)[]).map(toNumber));
const mat = (m: Json): Float64Array => Float64Array.from((m as (number | string)[][]).flat().map(toNumber));

/** The functions of scripts/r/convergence-cases.R, written with the same operations in the same order. */
const functions: Record<string, (x: Float64Array) => number> = {
  quad2: (x) => 3 * x[0] * x[0] + 2 * x[0] * x[1] + 5 * x[1] * x[1] - x[0] + 0.5 * x[1] + 7,
  rosen: (x) => 100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0]) + (1 - x[0]) * (1 - x[0]),
  explog3: (x) => Math.exp(x[0]) * Math.log(1 + x[1] * x[1]) + x[2] * x[0] - Math.sin(x[2]) * x[1],
  big: (x) => 3e5 + 1e4 * (x[0] - 0.3) * (x[0] - 0.3) + 2e3 * x[0] * x[1] + 5e3 * x[1] * x[1] + 0.05 * x[1],
  even1: (x) => 20 * x[0] * x[0] + 3 * x[0] * x[0] * x[0] * x[0] + 100,
};

describe('deriv12 as lme4:::deriv12', () => {
  const fixture = readJson('deriv12.json');
  for (const c of fixture.cases) {
    it(c.id, () => {
      const f = functions[c.fn];
      const x = vec(c.x);
      const n = x.length;
      const d = deriv12(f, x, {
        delta: c.delta,
        lower: c.lower ? vec(c.lower) : undefined,
        upper: c.upper ? vec(c.upper) : undefined,
      });
      expect(d.evaluations).toBe(1 + 2 * n * n);
      const g = vec(c.gradient);
      const H = mat(c.hessian);
      if (c.fn === 'explog3') {
        // exp, log and sin may differ from glibc's in the last bit; central differences magnify that
        g.forEach((v, i) => expect(Math.abs(d.gradient[i] - v)).toBeLessThan(1e-11));
        H.forEach((v, i) => expect(Math.abs(d.hessian[i] - v)).toBeLessThan(1e-7));
      } else {
        // + and × in the same order: the same bits
        expect(Array.from(d.gradient)).toEqual(Array.from(g));
        expect(Array.from(d.hessian)).toEqual(Array.from(H));
      }
      // with f(x) given, f is not evaluated at x again
      const counted = deriv12(f, x, { delta: c.delta, fx: f(x), lower: c.lower ? vec(c.lower) : undefined, upper: c.upper ? vec(c.upper) : undefined });
      expect(counted.evaluations).toBe(2 * n * n);
      expect(Array.from(counted.hessian)).toEqual(Array.from(d.hessian));
    });
  }

  it('differences θ on its bound outside the box, as lme4 1.1-31 (no bounds passed)', () => {
    const seen: number[] = [];
    deriv12((x) => {
      seen.push(x[0]);
      return functions.even1(x);
    }, [0]);
    expect(Math.min(...seen)).toBe(-1e-4);
  });
});

describe('checkConv as lme4:::checkConv', () => {
  const fixture = readJson('checkconv.json');
  for (const c of fixture.cases) {
    it(c.id, () => {
      const report = checkDerivatives({ gradient: vec(c.gradient), hessian: mat(c.hessian) }, vec(c.theta), vec(c.lower));
      expect(report.warnings).toEqual(c.warnings);
      expect(report.messages).toEqual(c.messages);
      expect(report.lme4Messages).toEqual(c.lme4_messages);
      expect(report.codes).toEqual(c.code ?? []);
      expect(report.code).toBe(c.code === null ? null : c.code[0]);
      expect(report.singular).toBe(c.messages.includes(SINGULAR_MESSAGE));
      expect(report.lme4Warnings).toEqual([]);
    });
  }

  it('tells convergence warnings from identifiability warnings', () => {
    const cases = Object.fromEntries(fixture.cases.map((c: Json) => [c.id, c]));
    const kinds = (id: string): boolean[] => {
      const c = cases[id];
      return checkDerivatives({ gradient: vec(c.gradient), hessian: mat(c.hessian) }, vec(c.theta), vec(c.lower)).details.map(
        (d) => d.aboutConvergence,
      );
    };
    expect(kinds('grad_fail')).toEqual([true]);
    expect(kinds('negative_eigen')).toEqual([true, true]);
    expect(kinds('zero_eigen')).toEqual([true, false]);
    expect(kinds('large_eigen_ratio')).toEqual([false]);
    expect(kinds('grad_and_ratio')).toEqual([true, false]);
    expect(kinds('inf_hessian')).toEqual([true, false]);
  });
});

describe('checkConvergence', () => {
  const quad = (t: Float64Array): number => 40 * (t[0] - 0.5) * (t[0] - 0.5) + 30 * (t[1] - 0.2) * (t[1] - 0.2) + 10;

  it('computes the derivatives at θ and tests singularity at the reported θ', () => {
    const lower = Float64Array.of(0, 0);
    const at = Float64Array.of(0.5, 0.2);
    const ok = checkConvergence(quad, at, lower, quad(at));
    expect(ok.warnings).toEqual([]);
    expect(ok.code).toBeNull();
    expect(ok.hessian[0]).toBeCloseTo(80, 6);
    expect(ok.hessian[3]).toBeCloseTo(60, 6);
    // lme4: derivatives before check.boundary, the singular test after it
    const moved = checkConvergence(quad, at, lower, quad(at), { reportedTheta: [0.5, 0] });
    expect(moved.singular).toBe(true);
    expect(moved.messages).toEqual([SINGULAR_MESSAGE]);
    expect(Array.from(moved.gradient)).toEqual(Array.from(ok.gradient));
  });

  it('warns when the gradient is not zero', () => {
    const at = Float64Array.of(0.6, 0.2);
    const check = checkConvergence(quad, at, [0, 0], quad(at));
    // g = (8, 0), H = diag(80, 60): scaled gradient 8/√80 = 0.894427
    expect(check.warnings).toEqual(['Model failed to converge with max|grad| = 0.894427 (tol = 0.002, component 1)']);
    expect(check.code).toBe(-1);
  });
});

describe('confirmWithRestart', () => {
  const H = Float64Array.of(40, 5, 5, 800);
  const gradFail = checkDerivatives({ gradient: [0.01, 0.2], hessian: H }, [0.9, 0.2], [0, 0]);
  const fval = 1000;

  it('keeps the warning when the restart lowers the deviance', () => {
    const o = confirmWithRestart(gradFail, fval, [0.9, 0.2], () => ({ theta: Float64Array.of(0.8, 0.2), fval: fval - 1e-3 }));
    expect(o.secondOpinion).toMatchObject({ confirmed: true, fval: fval - 1e-3 });
    expect(o.warnings).toEqual(gradFail.warnings);
    expect(o.lme4Warnings).toEqual([]);
  });

  it('moves a false warning to lme4Warnings when the restart cannot improve', () => {
    const tol = SECOND_OPINION_DEFAULTS.absoluteTol + SECOND_OPINION_DEFAULTS.relativeTol * fval;
    const o = confirmWithRestart(gradFail, fval, [0.9, 0.2], () => ({ theta: Float64Array.of(0.9, 0.2), fval: fval - 0.5 * tol }));
    expect(o.secondOpinion).toMatchObject({ confirmed: false, tolerance: tol });
    expect(o.warnings).toEqual([]);
    expect(o.lme4Warnings).toEqual(gradFail.warnings);
    expect(o.lme4Messages).toEqual(gradFail.lme4Messages);
    expect(o.code).toBe(-1);
  });

  it('leaves identifiability warnings alone', () => {
    const both = checkDerivatives({ gradient: [0.1, 1e-5], hessian: Float64Array.of(1e3, 0, 0, 1e-4) }, [0.9, 0.2], [0, 0]);
    expect(both.warnings.length).toBe(2);
    const o = confirmWithRestart(both, fval, [0.9, 0.2], (t) => ({ theta: t, fval }));
    expect(o.warnings).toEqual([both.warnings[1]]);
    expect(o.lme4Warnings).toEqual([both.warnings[0]]);
    const onlyRatio = checkDerivatives({ gradient: [1e-5, 1e-5], hessian: Float64Array.of(1e3, 0, 0, 1e-4) }, [0.9, 0.2], [0, 0]);
    let called = false;
    const same = confirmWithRestart(onlyRatio, fval, [0.9, 0.2], (t) => {
      called = true;
      return { theta: t, fval };
    });
    expect(called).toBe(false);
    expect(same).toBe(onlyRatio);
  });

  it('treats a restart that fails (non-finite deviance) as no improvement', () => {
    const o = confirmWithRestart(gradFail, fval, [0.9, 0.2], () => ({ theta: Float64Array.of(NaN, NaN), fval: NaN }));
    expect(o.secondOpinion?.confirmed).toBe(false);
    expect(o.secondOpinion?.improvement).toBe(0);
  });
});

describe('dense symmetric helpers', () => {
  const A = Float64Array.of(4, 2, -2, 2, 10, 4, -2, 4, 9);

  it('Cholesky factor and solves', () => {
    const L = choleskyLower(A, 3)!;
    [2, 0, 0, 1, 3, 0, -1, 5 / 3, Math.sqrt(9 - 1 - 25 / 9)].forEach((v, i) => expect(L[i]).toBeCloseTo(v, 14));
    const b = Float64Array.of(1, 2, 3);
    const y = solveLower(L, 3, b);
    const x = solveLowerTransposed(L, 3, y); // A x = b
    for (let i = 0; i < 3; i++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += A[i * 3 + k] * x[k];
      expect(s).toBeCloseTo(b[i], 12);
    }
    expect(choleskyLower(Float64Array.of(1, 2, 2, 1), 2)).toBeNull();
    expect(choleskyLower(Float64Array.of(1, 1, 1, 1), 2)).toBeNull();
    expect(choleskyLower(Float64Array.of(NaN, 0, 0, 1), 2)).toBeNull();
    // R: solve(chol(matrix(c(1, 0, 0, 1e-34), 2)), b) is "computationally singular: reciprocal condition
    // number = 1e-17"; with 1e-31 it solves
    expect(choleskyReciprocalCondition(choleskyLower(Float64Array.of(1, 0, 0, 1e-34), 2)!, 2)).toBeCloseTo(1e-17, 30);
    expect(choleskyReciprocalCondition(choleskyLower(Float64Array.of(1, 0, 0, 1e-31), 2)!, 2)).toBeGreaterThan(2.2e-16);
    expect(choleskyReciprocalCondition(choleskyLower(Float64Array.of(Infinity, 0, 0, 1), 2)!, 2)).toBe(0);
    expect(choleskyReciprocalCondition(L, 3)).toBeGreaterThan(0.01);
  });

  it('eigenvalues in decreasing order', () => {
    const ev = symmetricEigenvalues(Float64Array.of(10, 12, 12, 10), 2);
    expect(ev[0]).toBeCloseTo(22, 12);
    expect(ev[1]).toBeCloseTo(-2, 12);
    expect(Array.from(symmetricEigenvalues([5], 1))).toEqual([5]);
    const e3 = symmetricEigenvalues(A, 3);
    expect(e3[0] + e3[1] + e3[2]).toBeCloseTo(23, 10);
    expect(e3[0]).toBeGreaterThanOrEqual(e3[1]);
    expect(e3[1]).toBeGreaterThanOrEqual(e3[2]);
  });
});
