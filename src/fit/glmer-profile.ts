/**
 * Profile-likelihood intervals of a glmer fit, as lme4 1.1-31's confint(gm, method = "profile"): the
 * parameters are the random effects' standard deviations and correlations (lme4's "sdcor" scale, σ = 1, no
 * .sigma row) and β, and lme4 profiles every one of them on the fit's own deviance (Laplace, or AGQ with
 * nAGQ > 1) with all the others, β included, re-optimized. For parameter ψ the profile is
 * ζ(x) = sign(x − ψ̂)·√(min_{others} deviance(ψ = x) − deviance(ψ̂)), and the bounds are where ζ = ±z.
 * lme4 tabulates ζ and inverts an interpolating spline; we solve ζ(x) = ±z on the exact profile
 * (optim/profile-search.ts), so the two differ by lme4's interpolation error. Only glmer's files import
 * this module.
 */
import { ModelError, NumericalError } from '../errors.js';
import { bobyqa } from '../optim/bobyqa.js';
import { profileCrossing, selectParameters, tracedProfile, type ParmSelection, type ProfileInterval, type ProfileTrace } from '../optim/profile-search.js';
import { qnorm } from '../stats/distribution-quantiles.js';
import { sdCorOf, thetaFromSdCor } from './sdcor.js';
import type { ThetaBlock } from './theta.js';

/** The fit's stage-2 deviance of x = (θ, β) on an engine of its own, released by the caller. */
export interface GlmmDeviance {
  devfun: (x: Float64Array) => number;
  release: () => void;
}

/** What a profile needs of a glmer fit. */
export interface GlmmProfileInput {
  blocks: readonly ThetaBlock[];
  theta: Float64Array;
  beta: Float64Array;
  fixefNames: readonly string[];
  /** Standard errors of β (the β profiles' first steps). */
  se: readonly number[];
  /** The minimized deviance (−2 log L). */
  deviance: number;
  /** A fresh stage-2 deviance function. */
  makeDeviance: () => GlmmDeviance;
}

/** Options of `profileGlmm`. */
export interface GlmmProfileOptions {
  level?: number;
  /** lme4's row names .sig01, … (default) or sd_(Intercept)|g, cor_…|g. */
  oldNames?: boolean;
  /** The parameters to profile (lme4's parm: names, 1-based indices, 'theta_', 'beta_'); all by default. */
  parm?: ParmSelection;
  /** Receives every evaluated point, one trace per profiled parameter. */
  traces?: ProfileTrace[];
}

/** The intervals, and lme4's warnings for profiles that could not be computed. */
export interface GlmmProfile {
  intervals: ProfileInterval[];
  warnings: string[];
  /** Deviance evaluations (PIRLS runs) over all the profiles. */
  evaluations: number;
}

/**
 * A lower deviance than the fit's by more than this (absolute, deviance units) means the fit missed its
 * optimum: lme4 stops there ("profiling detected new, lower deviance"). lme4's devtol is 1e-9; ours allows
 * for the fit's and the inner optimizations' stopping tolerances (ζ ≤ 1e-3 at the estimate).
 */
const DEVTOL = 1e-6;

/** Root tolerance in ζ: a bound's error of 1e-6 standard errors, below lme4's spline error by orders. */
const ZETA_TOL = 1e-6;

/**
 * Profiles the parameters of a glmer fit. A parameter whose profile cannot be evaluated (PIRLS fails, the
 * deviance is not finite) gets NA bounds and lme4's warning "NAs detected in profiling".
 */
export function profileGlmm(input: GlmmProfileInput, options: GlmmProfileOptions = {}): GlmmProfile {
  const level = options.level ?? 0.95;
  const z = qnorm(1 - (1 - level) / 2);
  const sc = sdCorOf(input.blocks, input.theta, 1);
  const nv = sc.values.length;
  const p = input.beta.length;
  const np = nv + p;
  const opt = Float64Array.from([...sc.values, ...input.beta]);
  const lower = Float64Array.from([...sc.lower, ...new Array<number>(p).fill(-Infinity)]);
  const upper = Float64Array.from([...sc.upper, ...new Array<number>(p).fill(Infinity)]);
  // the inner optimizations' units: β in its standard errors (where that is not finite and positive, a tenth
  // of its size, at least 0.1), a standard deviation in a quarter of its estimate (or 0.02 near 0), a
  // correlation in 0.1
  const seOf = (j: number): number => (input.se[j] > 0 && Number.isFinite(input.se[j]) ? input.se[j] : Math.max(0.1 * Math.abs(input.beta[j]), 0.1));
  const scale = Float64Array.from(opt, (v, i) => (i >= nv ? seOf(i - nv) : sc.isCor[i] ? 0.1 : Math.max(0.25 * Math.abs(v), 0.02)));
  const names = [...sc.values.map((_, i) => (options.oldNames === false ? sc.names[i] : `.sig${String(i + 1).padStart(2, '0')}`)), ...input.fixefNames];
  const which = selectParameters(options.parm, names, nv);
  const warnings: string[] = [];
  let evaluations = 0;
  const { devfun, release } = input.makeDeviance();
  try {
    const x = new Float64Array(input.theta.length + p);
    // the deviance at sd/cor and β (lme4's devfun2); NaN where PIRLS fails there
    const dev2 = (v: Float64Array): number => {
      const th = thetaFromSdCor(input.blocks, v, 1);
      if (!th) return Infinity;
      x.set(th);
      x.set(v.subarray(nv), th.length);
      evaluations++;
      try {
        return devfun(x);
      } catch (e) {
        if (e instanceof NumericalError || e instanceof ModelError) return NaN;
        throw e;
      }
    };
    const base = input.deviance;
    const intervals: ProfileInterval[] = [];
    for (const w of which) {
      const free = Array.from({ length: np - 1 }, (_, k) => (k < w ? k : k + 1));
      const s = Float64Array.from(free, (i) => scale[i]);
      let start = Float64Array.from(free, (i) => opt[i]);
      const v = Float64Array.from(opt);
      let failed = false;
      const devdiff = tracedProfile(options.traces, names[w], opt[w], (xw: number): number => {
        v[w] = xw;
        // the others from the last point (lme4's startmethod "prev"), in scaled coordinates about it; held
        // inside the box, which start + s·((lower − start)/s) can miss by a rounding (the next start then
        // lies outside it)
        const at = (zs: ArrayLike<number>): Float64Array => {
          free.forEach((i, k) => (v[i] = Math.min(upper[i], Math.max(lower[i], start[k] + s[k] * zs[k]))));
          return v;
        };
        const lo = Float64Array.from(free, (i, k) => (lower[i] === -Infinity ? -Infinity : (lower[i] - start[k]) / s[k]));
        const hi = Float64Array.from(free, (i, k) => (upper[i] === Infinity ? Infinity : (upper[i] - start[k]) / s[k]));
        const r = bobyqa((zs) => {
          const d = dev2(at(zs));
          return Number.isNaN(d) ? Infinity : d;
        }, new Float64Array(np - 1), lo, hi, { rhoBeg: 0.2, rhoEnd: 1e-5, ftolAbs: 1e-10, xtolRel: 0 });
        if (!Number.isFinite(r.fx)) {
          failed = true;
          return NaN;
        }
        start = Float64Array.from(at(r.x).filter((_, i) => i !== w));
        const dd = r.fx - base;
        if (dd < -DEVTOL) {
          throw new ModelError(
            `profiling detected a new, lower deviance (${r.fx} < ${base}) at ${names[w]} = ${xw}: the fit did not reach its optimum; refit (e.g. with another optimizer) before profiling`,
          );
        }
        return Math.max(0, dd);
      });
      const est = opt[w];
      const step = w >= nv ? scale[w] : sc.isCor[w] ? 0.05 : Math.max(0.05 * Math.abs(est), 0.01);
      const xtol = 1e-7 * scale[w];
      const reset = Float64Array.from(start);
      const lo = profileCrossing(devdiff, est, step, -1, lower[w], z, xtol, ZETA_TOL);
      start = reset;
      const hi = profileCrossing(devdiff, est, step, 1, upper[w], z, xtol, ZETA_TOL);
      if (failed && (lo === null || hi === null)) warnings.push(`NAs detected in profiling ${names[w]}`);
      intervals.push({ name: names[w], estimate: est, lower: lo, upper: hi });
    }
    return { intervals, warnings, evaluations };
  } finally {
    release();
  }
}
