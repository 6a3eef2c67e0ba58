// lme4's convergence checks with exact derivatives (the gradient of assembly/gradient.ts and a Hessian
// from central differences of it) instead of lme4's deriv12 on the deviance: at lme4's θ̂ of every
// golden model and of the fits where lme4 warns, the same messages, warnings and codes as lme4 1.1-31,
// and derivatives equal to lme4's finite-difference ones within their truncation and rounding error.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lmer } from '../src/fit/lmer.js';
import { checkConvergence, exactDerivatives } from '../src/fit/convergence.js';
import { readDataFile } from '../src/data/read-file.js';
import { engineFor } from './helpers/engine-input.js';
import { goldenData, goldenDataName, goldenIds, loadGolden } from './helpers/golden.js';

const ROOT = join(import.meta.dirname, '..');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const toNumber = (v: number | string | null): number =>
  v === null || v === '-Inf' ? -Infinity : v === 'Inf' ? Infinity : (v as number);
const vec = (v: Json): Float64Array => Float64Array.from((Array.isArray(v) ? v : [v]).map(toNumber));

/**
 * How precisely f is known at θ: the spread of f over 16 points within 2⁻⁴² (relative) of θ, at least
 * 1e-14·|f| (as convergence-golden.test.ts).
 */
function evaluationNoise(f: (theta: Float64Array) => number, theta: Float64Array, fval: number): number {
  const values = Array.from({ length: 16 }, (_, k) => f(theta.map((t) => t * (1 + (k - 8) * 2 ** -45))));
  return Math.max(Math.max(...values) - Math.min(...values), 1e-14 * Math.abs(fval));
}

/**
 * Ours vs lme4's deriv12 (step δ = 1e-4). lme4's central differences carry rounding errors of about
 * 2·noise/δ (gradient) and 4·noise/δ² (Hessian) and truncation errors δ²·(third derivative)/6 (gradient)
 * and O(δ²) (Hessian). The third derivatives are estimated from second differences of the exact gradient
 * with a step of 1e-2; the Hessians' truncation from ours at steps δ and 10δ (their difference is 99×
 * the O(δ²) error at δ), allowing lme4's constant to be ten times ours.
 */
function expectDerivsClose(
  ours: { gradient: Float64Array; hessian: Float64Array },
  g: Float64Array,
  H: number[][],
  noise: number,
  gradient: (t: Float64Array) => Float64Array | null,
  theta: Float64Array,
): void {
  const delta = 1e-4;
  const n = g.length;
  const gmax = Math.max(1, ...Array.from(g, Math.abs));
  const h = 1e-2;
  g.forEach((gi, i) => {
    const up = Float64Array.from(theta);
    const down = Float64Array.from(theta);
    up[i] += h;
    down[i] -= h;
    const third = (gradient(up)![i] - 2 * ours.gradient[i] + gradient(down)![i]) / (h * h);
    const tol = 1e-5 * gmax + (2 * noise) / delta + (2 * delta * delta * Math.abs(third)) / 6;
    expect(Math.abs(ours.gradient[i] - gi), `gradient ${i}`).toBeLessThanOrEqual(tol);
  });
  const coarse = exactDerivatives(gradient, theta, 10 * delta)!.hessian;
  const hmax = Math.max(...H.flat().map(Math.abs));
  H.forEach((row, i) =>
    row.forEach((hij, j) => {
      const truncation = (10 * Math.abs(coarse[i * n + j] - ours.hessian[i * n + j])) / 99;
      const tol = 1e-5 * hmax + (4 * noise) / delta ** 2 + truncation;
      expect(Math.abs(ours.hessian[i * n + j] - hij), `Hessian ${i},${j}`).toBeLessThanOrEqual(tol);
    }),
  );
}

describe('lme4 checkConv with exact derivatives on the lmer goldens', () => {
  for (const id of goldenIds('lmer')) {
    it(id, () => {
      const g = loadGolden(id);
      const theta = vec(g.optimizer.par);
      const m = lmer(g.formula, goldenData(g), { REML: g.REML, dataName: goldenDataName(g), theta, checkConvergence: false });
      const engine = engineFor(g.formula, goldenData(g));
      const f = (t: Float64Array): number => engine.deviance(t, m.reml);
      const gradient = (t: Float64Array): Float64Array | null => engine.devianceGradient(t, m.reml);
      const fval = f(theta);
      expect(exactDerivatives(gradient, theta)).not.toBeNull();
      const check = checkConvergence(f, theta, m.lower, fval, { gradient });
      expectDerivsClose(check, vec(g.optimizer.derivs.gradient), g.optimizer.derivs.Hessian.values, evaluationNoise(f, theta, fval), gradient, theta);
      expect(check.lme4Messages).toEqual(g.optimizer.lme4_messages);
      expect(check.code).toBe(g.optimizer.lme4_code);
      expect(check.messages).toEqual(g.fit_messages);
      expect(check.warnings).toEqual(g.fit_warnings);
    });
  }
});

describe('exact-derivative checks on the fits where lme4 warns (fixtures/convergence/fits.json)', () => {
  const fits = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/convergence/fits.json'), 'utf8'));
  const sleep = readDataFile(join(ROOT, 'data', 'sleepstudy.csv'));
  for (const c of fits.cases) {
    it(c.id, () => {
      // sleepstudy stacked K times with Subject relabelled per copy
      const rows: Record<string, unknown>[] = [];
      const days = sleep.columns.get('Days') as { values: Float64Array };
      const reaction = sleep.columns.get('Reaction') as { values: Float64Array };
      const subject = sleep.columns.get('Subject') as { codes: Int32Array; levels: string[] };
      for (let k = 0; k < c.replicates; k++) {
        for (let r = 0; r < sleep.nrow; r++) {
          rows.push({ Reaction: reaction.values[r], Days: days.values[r], Subject: `${subject.levels[subject.codes[r]]}_${k}` });
        }
      }
      const theta = vec(c.par);
      const m = lmer(c.formula, rows, { REML: c.REML, theta, checkConvergence: false });
      const engine = engineFor(c.formula, rows);
      const f = (t: Float64Array): number => engine.deviance(t, m.reml);
      const fval = f(theta);
      expect(Math.abs(fval - c.objective[0])).toBeLessThan(1e-12 * Math.abs(fval));
      const gradient = (t: Float64Array): Float64Array | null => engine.devianceGradient(t, m.reml);
      const check = checkConvergence(f, theta, m.lower, fval, { gradient });
      const noise = evaluationNoise(f, theta, fval);
      expectDerivsClose(check, vec(c.derivs.gradient), c.derivs.hessian, noise, gradient, theta);
      const lme4Warnings: string[] = c.fit_warnings.filter((w: string) => !w.startsWith('convergence code'));
      expect(check.warnings.length).toBe(lme4Warnings.length);
      // max|grad| within 1e-3 relative of lme4's plus the rounding of their finite differences (2·noise/δ)
      check.warnings.forEach((w, i) => {
        const num = (s: string): number => Number(/max\|grad\| = ([^ ]+) /.exec(s)![1]);
        expect(w.replace(/= [^ ]+ \(/, '# (')).toBe(lme4Warnings[i].replace(/= [^ ]+ \(/, '# ('));
        expect(Math.abs(num(w) - num(lme4Warnings[i]))).toBeLessThanOrEqual(1e-3 * num(lme4Warnings[i]) + (2 * noise) / 1e-4);
      });
      expect(check.code).toBe(c.lme4_code === null ? null : c.lme4_code[0]);
      expect(check.messages).toEqual(c.fit_messages);
    });
  }
});
