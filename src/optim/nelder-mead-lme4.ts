/**
 * lme4 1.1-31's `Nelder_Mead` step for step (lme4's src/optimizer.cpp), for glmer's second stage where
 * lme4's evaluation counts and stopping point are the reference: per-coordinate initial steps `xst` and
 * x tolerances `xt`; reflection 1, expansion 2 (kept whenever it beats the worst vertex), contraction ½
 * (inside when the reflection is no better than the worst), shrink ½ toward the best vertex followed by
 * re-evaluating every vertex; trial points pinned to the box; stop when every vertex is within xt of the
 * centroid of the others in each coordinate, when a trial point coincides with the centroid or the point
 * it replaces, or after maxEvaluations. The result is the best point evaluated.
 * (nelder-mead.ts is the general-purpose variant with these steps tidied.)
 */
import { OptionError } from '../errors.js';
import type { Objective, OptimResult } from './types.js';

const ALPHA = 1;
const BETA = 0.5;
const GAMMA = 2;
const DELTA = 0.5;

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-13 * (Math.abs(a) + Math.abs(b));
}

class Converged extends Error {}
class Budget extends Error {}

/** Options: per-coordinate steps and x tolerances (lme4's control$xst, control$xt), evaluation budget. */
export interface NelderMeadLme4Options {
  xst: ArrayLike<number>;
  xt: ArrayLike<number>;
  maxEvaluations?: number;
}

/** Minimizes f over the box by lme4's Nelder_Mead. */
export function nelderMeadLme4(
  f: Objective,
  x0: ArrayLike<number>,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  options: NelderMeadLme4Options,
): OptimResult {
  const n = x0.length;
  const maxEvaluations = options.maxEvaluations ?? 10000;
  const x = Float64Array.from(x0);
  for (let i = 0; i < n; i++) {
    if (x[i] < lower[i] || x[i] > upper[i]) throw new OptionError('initial x is not a feasible point');
  }
  const pts: Float64Array[] = [];
  for (let j = 0; j <= n; j++) pts.push(Float64Array.from(x));
  for (let i = 0; i < n; i++) {
    const step = options.xst[i];
    const a = Math.abs(step);
    let v = x[i] + step;
    if (v > upper[i]) v = upper[i] - x[i] > a * 0.1 ? upper[i] : x[i] - a;
    if (v < lower[i]) {
      if (x[i] - lower[i] > a * 0.1) v = lower[i];
      else {
        v = x[i] + a;
        if (v > upper[i]) v = 0.5 * ((upper[i] - x[i] > x[i] - lower[i] ? upper[i] : lower[i]) + x[i]);
      }
    }
    if (close(v, x[i])) throw new OptionError('Nelder-Mead cannot generate a feasible simplex');
    pts[i + 1][i] = v;
  }
  let evaluations = 0;
  let best = Float64Array.from(x);
  let minf = Infinity;
  const evaluate = (p: Float64Array): number => {
    if (evaluations >= maxEvaluations) throw new Budget();
    let v = f(p);
    if (Number.isNaN(v)) v = Infinity;
    evaluations++;
    if (v < minf) {
      minf = v;
      best = Float64Array.from(p);
    }
    return v;
  };
  const vals = new Float64Array(n + 1);
  const c = new Float64Array(n);
  const xcur = new Float64Array(n);
  const xeval = new Float64Array(n);
  // xnew = center + scale (center − xold), pinned; Converged when it coincides with center or xold
  const reflect = (out: Float64Array, center: Float64Array, scale: number, xold: Float64Array): void => {
    let equalC = true;
    let equalOld = true;
    for (let i = 0; i < n; i++) {
      const v = Math.min(Math.max(center[i] + scale * (center[i] - xold[i]), lower[i]), upper[i]);
      equalC = equalC && close(v, center[i]);
      equalOld = equalOld && close(v, xold[i]);
      out[i] = v;
    }
    if (equalC || equalOld) throw new Converged();
  };
  const result = (converged: boolean, message: string): OptimResult => ({
    x: best,
    fx: minf,
    evaluations,
    converged,
    message,
    optimizer: 'Nelder_Mead',
  });
  try {
    for (let j = 0; j <= n; j++) vals[j] = evaluate(pts[j]);
    for (;;) {
      let il = 0;
      let ih = 0;
      for (let j = 1; j <= n; j++) {
        if (vals[j] < vals[il]) il = j;
        if (vals[j] > vals[ih]) ih = j;
      }
      const fl = vals[il];
      const fh = vals[ih];
      c.fill(0);
      for (let j = 0; j <= n; j++) if (j !== ih) for (let i = 0; i < n; i++) c[i] += pts[j][i];
      for (let i = 0; i < n; i++) c[i] /= n;
      let within = true;
      for (let i = 0; i < n && within; i++) {
        let dev = 0;
        for (let j = 0; j <= n; j++) dev = Math.max(dev, Math.abs(pts[j][i] - c[i]));
        within = dev < options.xt[i] || dev === 0;
      }
      if (within) return result(true, 'converged: the simplex is within xt of its centroid');
      reflect(xcur, c, ALPHA, pts[ih]);
      const fr = evaluate(xcur);
      if (fr < fl) {
        reflect(xeval, c, GAMMA, pts[ih]);
        const fe = evaluate(xeval);
        if (fe < vals[ih]) {
          pts[ih].set(xeval);
          vals[ih] = fe;
        } else {
          pts[ih].set(xcur);
          vals[ih] = fr;
        }
        continue;
      }
      if (fr < fh) {
        pts[ih].set(xcur);
        vals[ih] = fr;
        continue;
      }
      reflect(xcur, c, fh <= fr ? -BETA : BETA, pts[ih]);
      const fc = evaluate(xcur);
      if (fc < fr && fc < fh) {
        pts[ih].set(xcur);
        vals[ih] = fc;
        continue;
      }
      for (let j = 0; j <= n; j++) {
        if (j === il) continue;
        reflect(xeval, pts[il], -DELTA, pts[j]);
        pts[j].set(xeval);
      }
      for (let j = 0; j <= n; j++) vals[j] = evaluate(pts[j]);
    }
  } catch (e) {
    if (e instanceof Converged) return result(true, 'converged: a trial point coincides with the centroid or the point it replaces');
    if (e instanceof Budget) return result(false, `reached the maximum number of evaluations (${maxEvaluations})`);
    throw e;
  }
}
