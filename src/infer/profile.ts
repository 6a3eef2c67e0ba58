/**
 * Profile-likelihood confidence intervals, as lme4's confint(m, method = "profile"): on the ML deviance
 * (REML fits are refitted by ML first, as lme4's profile does), for the random-effects standard
 * deviations and correlations, σ, and the fixed effects. For a parameter ψ, the profile is
 * ζ(x) = sign(x − ψ̂)·√(min_{others} deviance(ψ = x) − deviance_min), and the interval is where
 * ζ = ±qnorm(0.975). lme4 interpolates ζ with a spline through profile points; we solve ζ(x) = ±z by
 * root finding on the exact profile instead (differences from lme4 are its interpolation error).
 */
import { lmerState } from '../fit/lmer-state.js';
import type { LmerModel } from '../fit/lmer-model.js';
import { bobyqa } from '../optim/bobyqa.js';
import { inverseFromLowerFactor } from '../linalg/factor-inverse.js';
import { refitML } from './anova-lrt.js';
import { qnorm } from '../stats/distribution-quantiles.js';
import { devianceAtSigma, profiledDevianceML } from '../fit/deviance.js';
import { correlationAt } from '../linalg/symmetric.js';

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
 * The points at which `confintProfile` evaluated one parameter's profile (the estimate, ζ = 0, included),
 * sorted by x: what lme4's profile() tabulates and its xyplot draws as ζ against the parameter.
 */
export interface ProfileTrace {
  /** lme4's name as in `ProfileInterval.name`. */
  name: string;
  estimate: number;
  points: ProfilePoint[];
}

/** Variance parameters on lme4's sd/cor scale, in θ's order, then σ. */
interface SdCor {
  values: number[];
  names: string[];
  lower: number[];
  upper: number[];
  /** Which entries are correlations. */
  isCor: boolean[];
}

function sdcorOf(m: LmerModel): SdCor {
  const covs = m.termCovariances();
  const out: SdCor = { values: [], names: [], lower: [], upper: [], isCor: [] };
  lmerState(m).terms.forEach((t, k) => {
    const p = t.columns.length;
    const S = covs[k];
    for (let c = 0; c < p; c++) {
      for (let r = c; r < p; r++) {
        if (r === c) {
          out.values.push(Math.sqrt(S[r * p + r]));
          out.names.push(`sd_${t.columns[r]}|${t.group}`);
          out.lower.push(0);
          out.upper.push(Infinity);
          out.isCor.push(false);
        } else {
          out.values.push(correlationAt(S, p, r, c));
          out.names.push(`cor_${t.columns[r]}.${t.columns[c]}|${t.group}`);
          out.lower.push(-1);
          out.upper.push(1);
          out.isCor.push(true);
        }
      }
    }
  });
  out.values.push(m.sigma);
  out.names.push('sigma');
  out.lower.push(0);
  out.upper.push(Infinity);
  out.isCor.push(false);
  return out;
}

/** θ from sd/cor values and σ (null when a correlation matrix is not positive semi-definite). */
function thetaFromSdCor(m: LmerModel, v: ArrayLike<number>): Float64Array | null {
  const sigma = v[v.length - 1];
  const theta: number[] = [];
  let at = 0;
  for (const t of lmerState(m).terms) {
    const p = t.columns.length;
    const sd = new Array<number>(p).fill(0);
    const R: number[][] = Array.from({ length: p }, (_, i) => Array.from({ length: p }, (__, j) => (i === j ? 1 : 0)));
    for (let c = 0; c < p; c++) {
      for (let r = c; r < p; r++) {
        if (r === c) sd[r] = v[at++];
        else R[r][c] = R[c][r] = v[at++];
      }
    }
    // T = chol(D R D) / σ, lower, column by column (a zero pivot leaves the rest of its column 0)
    const L = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    for (let i = 0; i < p; i++) {
      for (let j = 0; j <= i; j++) {
        let s = sd[i] * sd[j] * R[i][j];
        for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
        if (i === j) {
          if (s < -1e-12 * Math.max(1, sd[i] * sd[i])) return null;
          L[i][i] = Math.sqrt(Math.max(0, s));
        } else L[i][j] = L[j][j] > 0 ? s / L[j][j] : 0;
      }
    }
    for (let c = 0; c < p; c++) for (let r = c; r < p; r++) theta.push(L[r][c] / sigma);
  }
  return Float64Array.from(theta);
}

/** Brent-style bisection/secant root of g on [a, b] with g(a) < 0 < g(b) (or the reverse). */
function root(g: (x: number) => number, a: number, b: number, ga: number, gb: number, tol: number): number {
  for (let it = 0; it < 100 && Math.abs(b - a) > tol; it++) {
    let x = a - (ga * (b - a)) / (gb - ga);
    if (!(x > Math.min(a, b) && x < Math.max(a, b)) || it % 3 === 2) x = (a + b) / 2;
    const gx = g(x);
    if (gx === 0) return x;
    if (Math.sign(gx) === Math.sign(ga)) {
      a = x;
      ga = gx;
    } else {
      b = x;
      gb = gx;
    }
  }
  return (a + b) / 2;
}

/**
 * Finds where devdiff(x) = z² on one side of the estimate: steps outward (by `step`, doubling) until the
 * profile passes z or the bound is reached (then the bound if the profile stays below, as lme4's NA
 * becomes the bound for a parameter that cannot be rejected there).
 */
function crossing(devdiff: (x: number) => number, est: number, step: number, dir: 1 | -1, bound: number, z2: number): number | null {
  let a = est;
  let ga = -z2;
  let h = step;
  for (let k = 0; k < 60; k++) {
    let b = est + dir * h;
    let atBound = false;
    if ((dir < 0 && b <= bound) || (dir > 0 && b >= bound)) {
      b = bound;
      atBound = true;
    }
    const gb = devdiff(b) - z2;
    if (!Number.isFinite(gb)) return null;
    if (gb >= 0) return root((x) => devdiff(x) - z2, a, b, ga, gb, 1e-9 * Math.max(1, Math.abs(est)));
    if (atBound) return bound;
    a = b;
    ga = gb;
    h *= 2;
  }
  return null;
}

/**
 * Profile intervals for every parameter at `level` (default 0.95), named as lme4 names them. With
 * `traces`, every point at which a profile was evaluated is appended to it, one trace per parameter.
 */
export function confintProfile(model: LmerModel, level = 0.95, oldNames = true, traces?: ProfileTrace[]): ProfileInterval[] {
  const m = model.reml ? refitML(model) : model;
  // every call evaluates at the θ it is given: nothing here depends on an earlier evaluation
  const { evaluator } = lmerState(m);
  const n = m.nobs;
  const base = m.deviance() as number;
  const z = qnorm(1 - (1 - level) / 2);
  const z2 = z * z;
  const sc = sdcorOf(m);
  const nv = sc.values.length;
  // deviance at (sd/cor, σ) with β at its conditional optimum (lme4's devfun2)
  const dev2 = (v: ArrayLike<number>): number => {
    const th = thetaFromSdCor(m, v);
    if (!th) return Infinity;
    const parts = evaluator.partsAt(th);
    return parts ? devianceAtSigma(parts, n, v[nv - 1]) : Infinity;
  };
  const out: ProfileInterval[] = [];
  // ζ = sign(x − estimate)·√devdiff at each evaluation, recorded when traces are asked for
  const traced = (name: string, est: number, devdiff: (x: number) => number): ((x: number) => number) => {
    if (!traces) return devdiff;
    const trace: ProfileTrace = { name, estimate: est, points: [{ x: est, zeta: 0 }] };
    traces.push(trace);
    return (x) => {
      const d = devdiff(x);
      trace.points.push({ x, zeta: Math.sign(x - est) * Math.sqrt(d) });
      trace.points.sort((a, b) => a.x - b.x);
      return d;
    };
  };
  for (let w = 0; w < nv; w++) {
    const oldName = w === nv - 1 ? '.sigma' : `.sig${String(w + 1).padStart(2, '0')}`;
    const name = oldNames ? oldName : sc.names[w];
    let start: Float64Array = Float64Array.from(sc.values.filter((_, i) => i !== w));
    const lo = Float64Array.from(sc.lower.filter((_, i) => i !== w));
    const hi = Float64Array.from(sc.upper.filter((_, i) => i !== w));
    const devdiff = traced(name, sc.values[w], (x: number): number => {
      const full = (others: Float64Array): Float64Array => {
        const v = new Float64Array(nv);
        for (let i = 0, k = 0; i < nv; i++) v[i] = i === w ? x : others[k++];
        return v;
      };
      const clamped = start.map((s, i) => Math.min(hi[i], Math.max(lo[i], s)));
      const r = bobyqa((o) => dev2(full(o)), clamped, lo, hi, { rhoEnd: 1e-7, ftolAbs: 1e-12 });
      start = r.x;
      return Math.max(0, r.fx - base);
    });
    const est = sc.values[w];
    const step = sc.isCor[w] ? 0.05 : Math.max(0.05 * Math.abs(est), 1e-3 * sc.values[nv - 1]);
    const reset = Float64Array.from(start);
    const lower = crossing(devdiff, est, step, -1, sc.lower[w], z2);
    start = Float64Array.from(reset);
    const upper = crossing(devdiff, est, step, 1, sc.upper[w], z2);
    out.push({ name, estimate: est, lower, upper });
  }
  // fixed effects: fixing β_j adds (β_j − β̂_j(θ))² / V_jj(θ) to the penalized RSS, profiled over θ
  const se = m.standardErrors();
  m.fixefNames.forEach((name, j) => {
    // each inner optimization starts at θ̂: warm starts from the previous point stop BOBYQA short of the minimum
    const devdiff = traced(name, m.beta[j], (x: number): number => {
      const f = (th: Float64Array): number => {
        const at = evaluator.solutionAt(th);
        if (!at) return Infinity;
        const { parts, beta } = at;
        const V = inverseFromLowerFactor(at.fixedFactor, m.p);
        const r2 = parts.pwrss + ((x - beta[j]) * (x - beta[j])) / V[j * m.p + j];
        return profiledDevianceML(parts.ldL2, r2, n);
      };
      const lowerBound = Float64Array.from(m.lower);
      const r = bobyqa(f, Float64Array.from(m.theta), lowerBound, lowerBound.map(() => Infinity), { rhoEnd: 1e-7, ftolAbs: 1e-12 });
      return Math.max(0, r.fx - base);
    });
    const est = m.beta[j];
    const lower = crossing(devdiff, est, se[j], -1, -Infinity, z2);
    const upper = crossing(devdiff, est, se[j], 1, Infinity, z2);
    out.push({ name, estimate: est, lower, upper });
  });
  return out;
}
