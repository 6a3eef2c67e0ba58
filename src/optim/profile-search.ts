/**
 * The search behind profile-likelihood intervals (lmer's and glmer's): for a parameter ψ with estimate ψ̂,
 * devdiff(x) = min over the other parameters of deviance(ψ = x) − deviance_min, and an interval bound is
 * where devdiff = z² (ζ = sign(x − ψ̂)·√devdiff = ±z). lme4 tabulates ζ and inverts a spline through the
 * points; we find the crossing of the exact profile by root finding. Also the records the profiles leave.
 */
import { OptionError } from '../errors.js';

/** One profile interval; lower/upper are null where lme4 would give NA. */
export interface ProfileInterval {
  /**
   * lme4's row name: .sig01, …, .sigma, then the β names (oldNames = TRUE, lme4's default), or with
   * oldNames = FALSE sd_(Intercept)|Subject, cor_Days.(Intercept)|Subject, sigma.
   */
  name: string;
  estimate: number;
  lower: number | null;
  upper: number | null;
}

/** One evaluated point of a profile: the parameter's value and ζ there. */
export interface ProfilePoint {
  x: number;
  zeta: number;
}

/**
 * The points at which a profile was evaluated (the estimate, ζ = 0, included), sorted by x: what lme4's
 * profile() tabulates and its xyplot draws as ζ against the parameter.
 */
export interface ProfileTrace {
  /** lme4's name as in `ProfileInterval.name`. */
  name: string;
  estimate: number;
  points: ProfilePoint[];
}

/**
 * Root of g on [a, b] with g(a) < 0 < g(b) (or the reverse): secant steps inside the bracket, every third
 * step a bisection (so the bracket shrinks from both sides); stops where |g| ≤ gtol or the bracket is
 * narrower than xtol.
 */
function root(g: (x: number) => number, a: number, b: number, ga: number, gb: number, xtol: number, gtol: number): number {
  for (let it = 0; it < 100 && Math.abs(b - a) > xtol; it++) {
    let x = a - (ga * (b - a)) / (gb - ga);
    if (!(x > Math.min(a, b) && x < Math.max(a, b)) || it % 3 === 2) x = (a + b) / 2;
    const gx = g(x);
    if (Math.abs(gx) <= gtol) return x;
    if (Math.sign(gx) === Math.sign(ga)) {
      a = x;
      ga = gx;
    } else {
      b = x;
      gb = gx;
    }
  }
  return Math.abs(ga) < Math.abs(gb) ? a : b;
}

/**
 * Finds where ζ = √devdiff(x) reaches z on one side of the estimate: steps outward until the profile passes
 * z or the bound is reached (then the bound if the profile stays below, as lme4's NA becomes the bound for a
 * parameter that cannot be rejected there), then solves ζ(x) = z. ζ is nearly linear in x, so each outward
 * step aims a little past the crossing that the last point predicts (at least doubling, at most ×10, from
 * `step`). Null where devdiff is not finite before the crossing (lme4's NA). The root is found to `ztol` in ζ
 * (default 1e-8: a bound's error of 1e-8 standard errors) or to `xtol` in x (default 1e-9·max(1, |est|)).
 */
export function profileCrossing(
  devdiff: (x: number) => number,
  est: number,
  step: number,
  dir: 1 | -1,
  bound: number,
  z: number,
  xtol = 1e-9 * Math.max(1, Math.abs(est)),
  ztol = 1e-8,
): number | null {
  const zeta = (x: number): number => {
    const d = devdiff(x);
    return Number.isFinite(d) ? Math.sqrt(Math.max(0, d)) : NaN;
  };
  let a = est;
  let ga = -z;
  let h = step;
  for (let k = 0; k < 60; k++) {
    let b = est + dir * h;
    let atBound = false;
    if ((dir < 0 && b <= bound) || (dir > 0 && b >= bound)) {
      b = bound;
      atBound = true;
    }
    const zb = zeta(b);
    if (Number.isNaN(zb)) return null;
    if (zb >= z) return root((x) => zeta(x) - z, a, b, ga, zb - z, xtol, ztol);
    if (atBound) return bound;
    a = b;
    ga = zb - z;
    h = zb > 0 ? Math.min(10 * h, Math.max(2 * h, (1.25 * h * z) / zb)) : 2 * h;
  }
  return null;
}

/**
 * Wraps a profile's devdiff so that every evaluation is recorded in a new trace (ζ at x) appended to
 * `traces`; returns devdiff itself when no traces are asked for.
 */
export function tracedProfile(traces: ProfileTrace[] | undefined, name: string, est: number, devdiff: (x: number) => number): (x: number) => number {
  if (!traces) return devdiff;
  const trace: ProfileTrace = { name, estimate: est, points: [{ x: est, zeta: 0 }] };
  traces.push(trace);
  return (x) => {
    const d = devdiff(x);
    if (Number.isFinite(d)) {
      trace.points.push({ x, zeta: Math.sign(x - est) * Math.sqrt(d) });
      trace.points.sort((a, b) => a.x - b.x);
    }
    return d;
  };
}

/** lme4's `parm` of confint: names, 1-based indices, 'theta_' (every variance parameter) or 'beta_' (every β). */
export type ParmSelection = string | readonly (string | number)[];

/**
 * The 0-based indices of the parameters `parm` selects (lme4's get.which), in table order, among `names`
 * whose first `nVar` are variance parameters. Every parameter when `parm` is undefined. An unknown name
 * or an index out of range is an OptionError naming it.
 */
export function selectParameters(parm: ParmSelection | undefined, names: readonly string[], nVar: number): number[] {
  if (parm === undefined) return names.map((_, i) => i);
  const picked = new Set<number>();
  for (const item of typeof parm === 'string' ? [parm] : parm) {
    if (item === 'theta_') for (let i = 0; i < nVar; i++) picked.add(i);
    else if (item === 'beta_') for (let i = nVar; i < names.length; i++) picked.add(i);
    else if (typeof item === 'number') {
      if (!Number.isInteger(item) || item < 1 || item > names.length) {
        throw new OptionError(`confint(): parm ${item} is not a parameter index: use 1 to ${names.length} (${names.join(', ')})`);
      }
      picked.add(item - 1);
    } else {
      const i = names.indexOf(item);
      if (i < 0) throw new OptionError(`confint(): parm '${String(item)}' is not a parameter of this model: use one of ${names.join(', ')}, 'theta_' or 'beta_'`);
      picked.add(i);
    }
  }
  return [...picked].sort((a, b) => a - b);
}
