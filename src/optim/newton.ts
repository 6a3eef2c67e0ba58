/**
 * `optimizer: 'newton'`: a quasi-Newton method (BFGS with a backtracking line search under the Armijo
 * rule, curvature-checked updates and Shanno–Phua initial scaling; Nocedal & Wright 2006, ch. 6) on the
 * exact gradient of the profiled deviance. Where the caller has a curvature (`options.curvature`: lmer's
 * average-information matrix, src/wasm/average-information.ts), each step is instead Newton's on it,
 * d = −A⁻¹g (A regularised until it factors), under the same line search, while BFGS's update still runs
 * on every step; after three curvature steps in a row that had to be cut back the method goes on with
 * BFGS alone.
 *
 * The bounds trap: the profiled deviance depends on θ only through Λθ Λθ', so it is unchanged when one
 * column of a relative covariance factor T changes sign. In lme4's θ layout a column is a diagonal
 * element (lower bound 0) followed by the off-diagonal elements below it (no bound). A bounded gradient
 * method can stall on a diagonal θᵢ = 0, where that symmetry makes the gradient vanish whether or not 0
 * is a minimum. This method therefore ignores the bounds: it minimises over all of ℝⁿ (the unconstrained
 * minimum equals the bounded one, since every θ maps onto a feasible θ with the same deviance) and at the
 * end flips each column whose diagonal came out negative. A minimum at θᵢ = 0 is then a smooth interior
 * minimum (the deviance is even there), which BFGS reaches without stalling.
 *
 * Without a gradient (options.gradient absent, or null at the start: the factorization failed there)
 * it falls back to BOBYQA. A trial point where the gradient is null counts as a failed step.
 */
import { choleskyLower, solveLower, solveLowerTransposed } from '../linalg/symmetric.js';
import { bobyqa } from './bobyqa.js';
import type { OptimOptions, OptimResult, Objective } from './types.js';

/** Defaults of the quasi-Newton method. */
export const NEWTON_DEFAULTS = {
  /** Largest number of function + gradient evaluations. */
  maxEvaluations: 1000,
  /** Stop when a step lowers f by less than this times (1 + |f|) while max|gᵢ| ≤ 1e-3, or two in a row. */
  ftolRel: 1e-12,
} as const;

/** Curvature steps cut back in a row after which the method goes on with BFGS alone. */
const MAX_CUT_BACKS = 3;

/** f and its gradient at x, or null where f is not finite there. */
export type ObjectiveWithGradient = (x: Float64Array) => { f: number; g: Float64Array } | null;

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** H v for the n×n row-major H. */
function multiply(H: Float64Array, v: Float64Array): Float64Array {
  const n = v.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let acc = 0;
    for (let j = 0; j < n; j++) acc += H[i * n + j] * v[j];
    out[i] = acc;
  }
  return out;
}

/**
 * −A⁻¹g for the symmetric A (n×n row-major), by Cholesky of A + λI with λ the least of 1e-10·max Aᵢᵢ,
 * 100× that, … that factors; null when none does (A not finite, or far from positive definite).
 */
function curvatureStep(A: Float64Array, g: Float64Array): Float64Array | null {
  const n = g.length;
  let big = 0;
  for (let i = 0; i < n; i++) big = Math.max(big, A[i * n + i]);
  for (let lambda = 1e-10 * big; lambda < big; lambda *= 100) {
    const L = choleskyLower(A.map((v, k) => (k % (n + 1) === 0 ? v + lambda : v)), n);
    if (L) return solveLowerTransposed(L, n, solveLower(L, n, g)).map((v) => -v);
  }
  return null;
}

/**
 * Runs of θ forming one column of a factor T: each index with lower bound 0 (a diagonal element) starts
 * one, and the unbounded indices after it belong to it. Null when the bounds do not have that form (then
 * the symmetry is unknown and the method falls back to BOBYQA).
 */
function columnRuns(lower: ArrayLike<number>, upper: ArrayLike<number>): number[][] | null {
  const runs: number[][] = [];
  for (let i = 0; i < lower.length; i++) {
    if (upper[i] !== Infinity) return null;
    if (lower[i] === 0) runs.push([i]);
    else if (lower[i] === -Infinity && runs.length > 0) runs[runs.length - 1].push(i);
    else return null;
  }
  return runs;
}

/**
 * Minimises the profiled deviance f over θ with BFGS on its exact gradient (`options.gradient`).
 *
 * @param f the objective (only used for the BOBYQA fallback and the final value).
 * @param x0 start (lme4's θ start).
 * @param lower, upper lme4's θ bounds: 0 for diagonal elements, −∞ otherwise, no upper bounds.
 */
export function newton(
  f: Objective,
  x0: ArrayLike<number>,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  options: OptimOptions = {},
): OptimResult {
  const n = x0.length;
  const nth = options.thetaLength ?? n;
  let runs = columnRuns(Array.from(lower).slice(0, nth), Array.from(upper).slice(0, nth));
  // the free entries after θ (glmer's β) must be unbounded
  for (let i = nth; i < n; i++) if (lower[i] !== -Infinity || upper[i] !== Infinity) runs = null;
  const grad = options.gradient;
  const fallback = (why: string): OptimResult => {
    const r = bobyqa(f, x0, lower, upper, options);
    return { ...r, message: `${why}; BOBYQA used instead: ${r.message}`, optimizer: 'newton' };
  };
  if (!grad || runs === null) return fallback(!grad ? 'no exact gradient for this model' : 'bounds are not those of θ');
  const maxEvaluations = options.maxEvaluations ?? NEWTON_DEFAULTS.maxEvaluations;
  const ftolRel = options.ftolRel ?? NEWTON_DEFAULTS.ftolRel;
  let evaluations = 0;
  const fg: ObjectiveWithGradient = (x) => {
    evaluations++;
    // the gradient first: lmer's deviance then reuses the factorization the gradient made at x
    const g = grad(Float64Array.from(x));
    const fx = f(Float64Array.from(x));
    if (!Number.isFinite(fx) || g === null || !g.every(Number.isFinite)) return null;
    return { f: fx, g };
  };
  let x = Float64Array.from(x0);
  let cur = fg(x);
  if (cur === null) return fallback('no exact gradient at the start');

  // inverse Hessian approximation, row-major
  const H = new Float64Array(n * n);
  for (let i = 0; i < n; i++) H[i * n + i] = 1;
  let scaled = false;
  let stalled = false;
  let message = 'maximum number of evaluations reached';
  let converged = false;
  const d = new Float64Array(n);
  const curvature = options.curvature;
  // curvature steps cut back in a row (its model is poor here: BFGS from then on)
  let cutBacks = 0;
  while (evaluations < maxEvaluations) {
    const g = cur.g;
    const Hg = multiply(H, g);
    for (let i = 0; i < n; i++) d[i] = -Hg[i];
    // Newton's direction on the curvature while it keeps giving full steps; BFGS's otherwise
    let curved = false;
    if (curvature && cutBacks < MAX_CUT_BACKS) {
      const A = curvature(Float64Array.from(x));
      const dn = A && curvatureStep(A, g);
      if (dn && dot(g, dn) < 0) {
        d.set(dn);
        curved = true;
      }
    }
    // what Newton's step on the curvature would still gain (−½ g'd) is below the tolerance: stop here (a
    // line search on a decrease below f's rounding only cuts its step back)
    if (curved && -dot(g, d) / 2 <= ftolRel * (1 + Math.abs(cur.f))) {
      converged = true;
      message = 'predicted decrease of f below ftolRel';
      break;
    }
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // not a descent direction (rounding in H): restart from steepest descent
      H.fill(0);
      for (let i = 0; i < n; i++) H[i * n + i] = 1;
      scaled = false;
      for (let i = 0; i < n; i++) d[i] = -g[i];
      slope = dot(g, d);
      if (!(slope < 0)) {
        converged = true;
        message = 'gradient is zero';
        break;
      }
    }
    // the first, unscaled steps: at most 0.5 in any θ (θ is on the scale of a standard deviation ratio)
    let step = 1;
    if (!scaled && !curved) {
      const big = Math.max(...Array.from(d, Math.abs));
      if (big > 0.5) step = 0.5 / big;
    }
    let next: { f: number; g: Float64Array } | null = null;
    let xn = new Float64Array(n);
    for (let tries = 0; tries < 40 && evaluations < maxEvaluations; tries++) {
      for (let i = 0; i < n; i++) xn[i] = x[i] + step * d[i];
      const trial = fg(xn);
      if (trial !== null && trial.f <= cur.f + 1e-4 * step * slope) {
        next = trial;
        if (curved) cutBacks = tries > 0 ? cutBacks + 1 : 0;
        break;
      }
      step *= trial !== null && trial.f > cur.f + 1e3 * Math.abs(step * slope) ? 0.1 : 0.5;
    }
    if (next === null) {
      // no decrease along a descent direction: f is flat to rounding here
      converged = true;
      message = 'no further decrease (f flat to rounding)';
      break;
    }
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xn[i] - x[i];
      y[i] = next.g[i] - g[i];
    }
    const decrease = cur.f - next.f;
    x = xn;
    xn = new Float64Array(n);
    cur = next;
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (!scaled) {
        // Shanno–Phua: start from H = (s'y / y'y) I
        const gamma = sy / dot(y, y);
        H.fill(0);
        for (let i = 0; i < n; i++) H[i * n + i] = gamma;
        scaled = true;
      }
      // H ← (I − ρ s y') H (I − ρ y s') + ρ s s'
      const rho = 1 / sy;
      const Hy = multiply(H, y);
      const yHy = dot(y, Hy);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          H[i * n + j] += -rho * (s[i] * Hy[j] + Hy[i] * s[j]) + (rho * rho * yHy + rho) * s[i] * s[j];
        }
      }
    }
    const gmax = Math.max(...Array.from(cur.g, Math.abs));
    // f stationary to rounding: a step with a small gradient, or two steps in a row (an ill-conditioned,
    // nearly flat optimum, where the gradient of a large deviance stays above any absolute tolerance), or
    // one whose next quasi-Newton step d = −Hg promises no more (½ g'Hg, once H carries curvature)
    const ftol = ftolRel * (1 + Math.abs(cur.f));
    const tiny = decrease <= ftol;
    if (tiny && (gmax <= 1e-3 || stalled || (scaled && dot(cur.g, multiply(H, cur.g)) / 2 <= ftol))) {
      converged = true;
      message = 'relative decrease of f below ftolRel';
      break;
    }
    stalled = tiny;
    if (gmax <= 1e-10 * (1 + Math.abs(cur.f))) {
      converged = true;
      message = 'gradient below tolerance';
      break;
    }
  }
  // onto the feasible side: a column whose diagonal is negative changes sign (the deviance does not)
  for (const run of runs) {
    if (x[run[0]] < 0) for (const i of run) x[i] = -x[i];
  }
  return { x, fx: cur.f, evaluations, converged, message, optimizer: 'newton' };
}
