/**
 * Bounded Nelder–Mead simplex minimisation (Nelder & Mead 1965) as lme4 1.1-31's `Nelder_Mead`
 * does it (lme4's src/optimizer.cpp, itself derived from NLopt's nldrmd): reflection 1, expansion 2,
 * contraction ½ (inside when the reflected point is no better than the worst, outside otherwise),
 * shrink ½ towards the best point; every trial point is pinned to the box (Richardson & Kuester's
 * rule), and a trial point that coincides with the centroid or with the point it replaces ends the
 * search (the simplex has collapsed).
 *
 * Defaults are those of lme4's `Nelder_Mead` R function: initial steps `xst` = 0.02 (rhoBeg), the
 * x tolerance `xt` = 5e-4 · xst (xtolAbs), `maxfun` = 10000 (maxEvaluations). Convergence, as in
 * lme4, is on x alone: every vertex is within xtolAbs of the centroid of the n best vertices in every
 * coordinate (or within xtolRel·|centroid| when xtolRel is set). lme4 documents FtolAbs = 1e-5 but
 * never applies it; here ftolAbs / ftolRel (off by default) stop when the simplex's f values spread
 * less than that.
 *
 * Departures from lme4, none of which changes where it converges: an expansion is kept only if it
 * beats the reflection (lme4 keeps it if it beats the worst vertex); after a shrink the best vertex is
 * not evaluated again; variables with lower = upper are held fixed instead of being an error; the
 * budget is exactly maxEvaluations (lme4 makes one more evaluation before it stops).
 */
import { OptionError } from '../errors.js';
import { BudgetExhausted, CountedObjective } from './objective.js';
import { checkOptions, checkProblem } from './problem.js';
import type { Objective, OptimOptions, OptimResult } from './types.js';

/** lme4's Nelder_Mead defaults (see the module comment). */
export const NELDER_MEAD_DEFAULTS = {
  maxEvaluations: 10000,
  rhoBeg: 0.02,
  /** Per lme4, xt = 5e-4 · xst: the default follows rhoBeg. */
  xtolAbsPerStep: 5e-4,
  xtolRel: 0,
  ftolAbs: 0,
  ftolRel: 0,
} as const;

/** |a − b| within 1e-13 of |a| + |b| (lme4's test for coinciding coordinates). */
function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-13 * (Math.abs(a) + Math.abs(b));
}

class Collapsed extends Error {}

/** Minimises f over the box [lower, upper] from x0 by bounded Nelder–Mead. Throws OptionError. */
export function nelderMead(
  objective: Objective,
  x0: ArrayLike<number>,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  options: OptimOptions = {},
): OptimResult {
  checkOptions(options);
  const { x0: x, lower: lo, upper: hi } = checkProblem(x0, lower, upper);
  const maxEvaluations = options.maxEvaluations ?? NELDER_MEAD_DEFAULTS.maxEvaluations;
  const xst = options.rhoBeg ?? NELDER_MEAD_DEFAULTS.rhoBeg;
  const xt = options.xtolAbs ?? NELDER_MEAD_DEFAULTS.xtolAbsPerStep * xst;
  const xtolRel = options.xtolRel ?? NELDER_MEAD_DEFAULTS.xtolRel;
  const ftolAbs = options.ftolAbs ?? NELDER_MEAD_DEFAULTS.ftolAbs;
  const ftolRel = options.ftolRel ?? NELDER_MEAD_DEFAULTS.ftolRel;
  const counted = new CountedObjective(objective, lo, hi, maxEvaluations);
  const result = (converged: boolean, message: string): OptimResult => ({
    x: Number.isFinite(counted.bestF) ? counted.bestX : x,
    fx: counted.bestF,
    evaluations: counted.evaluations,
    converged,
    message,
    optimizer: 'nelder-mead',
  });

  const free: number[] = [];
  for (let i = 0; i < x.length; i++) if (lo[i] < hi[i]) free.push(i);
  const n = free.length;
  const full = Float64Array.from(x);
  const f = (y: Float64Array): number => {
    for (let i = 0; i < n; i++) full[free[i]] = y[i];
    const v = counted.evaluate(full);
    return Number.isNaN(v) ? Infinity : v;
  };
  const lb = Float64Array.from(free, (i) => lo[i]);
  const ub = Float64Array.from(free, (i) => hi[i]);
  const start = Float64Array.from(free, (i) => x[i]);

  try {
    if (n === 0) {
      f(start);
      return result(true, 'converged: every variable is fixed by its bounds');
    }
    const pts = initialSimplex(start, lb, ub, xst);
    const vals = new Float64Array(n + 1);
    for (let k = 0; k <= n; k++) vals[k] = f(pts[k]);
    const c = new Float64Array(n);
    const xr = new Float64Array(n);
    const xe = new Float64Array(n);
    const xc = new Float64Array(n);

    // the trial point c + t (c − xold), pinned to the box; throws Collapsed when it coincides with c or xold
    const trial = (out: Float64Array, center: Float64Array, t: number, xold: Float64Array): Float64Array => {
      let equalC = true;
      let equalOld = true;
      for (let i = 0; i < n; i++) {
        const v = Math.min(Math.max(center[i] + t * (center[i] - xold[i]), lb[i]), ub[i]);
        equalC = equalC && close(v, center[i]);
        equalOld = equalOld && close(v, xold[i]);
        out[i] = v;
      }
      if (equalC || equalOld) throw new Collapsed();
      return out;
    };

    for (;;) {
      let il = 0;
      let ih = 0;
      for (let k = 1; k <= n; k++) {
        if (vals[k] < vals[il]) il = k;
        if (vals[k] > vals[ih]) ih = k;
      }
      const fl = vals[il];
      const fh = vals[ih];
      c.fill(0);
      for (let k = 0; k <= n; k++) if (k !== ih) for (let i = 0; i < n; i++) c[i] += pts[k][i];
      for (let i = 0; i < n; i++) c[i] /= n;
      if (xConverged(pts, c, xt, xtolRel)) return result(true, 'converged: the simplex is within xtolAbs of its centroid');
      if (Number.isFinite(fh) && (Math.abs(fh - fl) < ftolAbs || Math.abs(fh - fl) < ftolRel * (Math.abs(fh) + Math.abs(fl)) * 0.5)) {
        return result(true, 'converged: the simplex f values spread less than ftolAbs / ftolRel');
      }
      trial(xr, c, 1, pts[ih]);
      const fr = f(xr);
      if (fr < fl) {
        trial(xe, c, 2, pts[ih]);
        const fe = f(xe);
        if (fe < fr) {
          pts[ih].set(xe);
          vals[ih] = fe;
        } else {
          pts[ih].set(xr);
          vals[ih] = fr;
        }
        continue;
      }
      if (fr < fh) {
        pts[ih].set(xr);
        vals[ih] = fr;
        continue;
      }
      trial(xc, c, fh <= fr ? -0.5 : 0.5, pts[ih]);
      const fc = f(xc);
      if (fc < fr && fc < fh) {
        pts[ih].set(xc);
        vals[ih] = fc;
        continue;
      }
      // shrink towards the best vertex
      for (let k = 0; k <= n; k++) {
        if (k === il) continue;
        trial(xc, pts[il], -0.5, pts[k]);
        pts[k].set(xc);
      }
      for (let k = 0; k <= n; k++) if (k !== il) vals[k] = f(pts[k]);
    }
  } catch (e) {
    if (e instanceof BudgetExhausted) return result(false, `stopped after ${counted.evaluations} evaluations (maxEvaluations)`);
    if (e instanceof Collapsed) return result(true, 'converged: the simplex collapsed (trial point coincides with a vertex)');
    throw e;
  }
}

/** lme4's initial simplex: x0 and x0 + xst·e_i, turned back or cut at a bound. */
function initialSimplex(x0: Float64Array, lb: Float64Array, ub: Float64Array, xst: number): Float64Array[] {
  const n = x0.length;
  const pts = [Float64Array.from(x0)];
  const step = Math.abs(xst);
  for (let i = 0; i < n; i++) {
    const p = Float64Array.from(x0);
    let v = x0[i] + xst;
    if (v > ub[i]) v = ub[i] - x0[i] > step * 0.1 ? ub[i] : x0[i] - step;
    if (v < lb[i]) {
      if (x0[i] - lb[i] > step * 0.1) v = lb[i];
      else {
        v = x0[i] + step;
        if (v > ub[i]) v = 0.5 * ((ub[i] - x0[i] > x0[i] - lb[i] ? ub[i] : lb[i]) + x0[i]);
      }
    }
    if (close(v, x0[i])) throw new OptionError(`Nelder-Mead cannot build a simplex: the box is too narrow in coordinate ${i + 1}`);
    p[i] = v;
    pts.push(p);
  }
  return pts;
}

/** Every vertex within xt (or xtolRel·|c_i|) of the centroid c in every coordinate. */
function xConverged(pts: Float64Array[], c: Float64Array, xt: number, xtolRel: number): boolean {
  for (let i = 0; i < c.length; i++) {
    let dev = 0;
    for (const p of pts) dev = Math.max(dev, Math.abs(p[i] - c[i]));
    if (!(dev < xt || dev === 0 || dev < xtolRel * Math.abs(c[i]))) return false;
  }
  return true;
}
