/**
 * Bounded Nelder–Mead simplex minimisation (Nelder & Mead 1965), the alternative to BOBYQA as lme4's
 * `Nelder_Mead` is. Trial points are projected into the box. After convergence the simplex is rebuilt
 * around the best point once, so that a collapsed simplex does not pass for an optimum.
 */
import { checkProblem, counted } from './bounds.js';
import type { Objective, OptimOptions, OptimResult } from './types.js';

const DEFAULTS = { maxEvaluations: 10000, rhoBeg: 0.02, ftolAbs: 1e-10, ftolRel: 1e-15, xtolRel: 1e-9, xtolAbs: 1e-10 };

function project(x: Float64Array, lo: Float64Array, hi: Float64Array): Float64Array {
  for (let i = 0; i < x.length; i++) x[i] = Math.min(hi[i], Math.max(lo[i], x[i]));
  return x;
}

/** Minimises f over the box [lower, upper] from x0. */
export function nelderMead(
  objective: Objective,
  x0: ArrayLike<number>,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  options: OptimOptions = {},
): OptimResult {
  const o = { ...DEFAULTS, ...options };
  const { x: start, lo, hi } = checkProblem(x0, lower, upper);
  const { f, count } = counted(objective);
  const n = start.length;

  let best = start;
  let fBest = f(best);
  for (let round = 0; round < 2; round++) {
    // simplex around `best`: steps of rhoBeg·max(1, |x_i|), turned inwards at an upper bound
    const pts: Float64Array[] = [Float64Array.from(best)];
    const vals: number[] = [fBest];
    for (let i = 0; i < n; i++) {
      const p = Float64Array.from(best);
      const step = o.rhoBeg * Math.max(1, Math.abs(best[i]));
      p[i] = p[i] + step <= hi[i] ? p[i] + step : p[i] - step;
      project(p, lo, hi);
      pts.push(p);
      vals.push(f(p));
    }
    let converged = false;
    while (count() < o.maxEvaluations) {
      const order = vals.map((_, i) => i).sort((a, b) => vals[a] - vals[b]);
      const sorted = order.map((i) => pts[i]);
      const sv = order.map((i) => vals[i]);
      pts.splice(0, pts.length, ...sorted);
      vals.splice(0, vals.length, ...sv);
      const fSpread = vals[n] - vals[0];
      let xSpread = true;
      for (let k = 1; k <= n && xSpread; k++) {
        for (let i = 0; i < n; i++) {
          if (Math.abs(pts[k][i] - pts[0][i]) > o.xtolAbs + o.xtolRel * Math.abs(pts[0][i])) {
            xSpread = false;
            break;
          }
        }
      }
      if (xSpread && fSpread <= o.ftolAbs + o.ftolRel * Math.abs(vals[0])) {
        converged = true;
        break;
      }
      const centroid = new Float64Array(n);
      for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) centroid[i] += pts[k][i] / n;
      const along = (t: number): Float64Array =>
        project(centroid.map((c, i) => c + t * (pts[n][i] - c)) as Float64Array, lo, hi);
      const xr = along(-1);
      const fr = f(xr);
      if (fr < vals[0]) {
        const xe = along(-2);
        const fe = f(xe);
        if (fe < fr) [pts[n], vals[n]] = [xe, fe];
        else [pts[n], vals[n]] = [xr, fr];
      } else if (fr < vals[n - 1]) {
        [pts[n], vals[n]] = [xr, fr];
      } else {
        const outside = fr < vals[n];
        const xc = along(outside ? -0.5 : 0.5);
        const fc = f(xc);
        if (fc < (outside ? fr : vals[n])) [pts[n], vals[n]] = [xc, fc];
        else {
          for (let k = 1; k <= n; k++) {
            pts[k] = project(pts[k].map((v, i) => pts[0][i] + 0.5 * (v - pts[0][i])) as Float64Array, lo, hi);
            vals[k] = f(pts[k]);
          }
        }
      }
    }
    const iBest = vals.indexOf(Math.min(...vals));
    const moved = vals[iBest] < fBest - o.ftolAbs;
    best = pts[iBest];
    fBest = vals[iBest];
    if (!converged) {
      return { x: best, fx: fBest, evaluations: count(), converged: false, message: `stopped after ${count()} evaluations (maxEvaluations)`, optimizer: 'nelder-mead' };
    }
    if (round === 1 || (!moved && round > 0)) break;
  }
  return { x: best, fx: fBest, evaluations: count(), converged: true, message: 'converged: simplex and function spread below tolerance', optimizer: 'nelder-mead' };
}
