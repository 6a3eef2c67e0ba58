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
import { sdCorOf, thetaFromSdCor, type SdCor } from '../fit/sdcor.js';
import { profileCrossing as crossing, selectParameters, tracedProfile, type ParmSelection, type ProfileInterval, type ProfileTrace } from '../optim/profile-search.js';

export type { ProfileInterval, ProfilePoint, ProfileTrace } from '../optim/profile-search.js';

/** Variance parameters on lme4's sd/cor scale, in θ's order, then σ. */
function sdcorOf(m: LmerModel): SdCor {
  const out = sdCorOf(lmerState(m).terms, m.theta, m.sigma);
  out.values.push(m.sigma);
  out.names.push('sigma');
  out.lower.push(0);
  out.upper.push(Infinity);
  out.isCor.push(false);
  return out;
}

/**
 * Profile intervals for every parameter (or those `parm` selects) at `level` (default 0.95), named as lme4
 * names them. With `traces`, every point at which a profile was evaluated is appended to it, one trace per
 * parameter.
 */
export function confintProfile(model: LmerModel, level = 0.95, oldNames = true, traces?: ProfileTrace[], parm?: ParmSelection): ProfileInterval[] {
  const m = model.reml ? refitML(model) : model;
  // every call evaluates at the θ it is given: nothing here depends on an earlier evaluation
  const { evaluator } = lmerState(m);
  const n = m.nobs;
  const base = m.deviance() as number;
  const z = qnorm(1 - (1 - level) / 2);
  const sc = sdcorOf(m);
  const nv = sc.values.length;
  // deviance at (sd/cor, σ) with β at its conditional optimum (lme4's devfun2)
  const dev2 = (v: ArrayLike<number>): number => {
    const th = thetaFromSdCor(lmerState(m).terms, v, v[nv - 1]);
    if (!th) return Infinity;
    const parts = evaluator.partsAt(th);
    return parts ? devianceAtSigma(parts, n, v[nv - 1]) : Infinity;
  };
  const varNames = sc.names.map((nm, w) => (oldNames ? (w === nv - 1 ? '.sigma' : `.sig${String(w + 1).padStart(2, '0')}`) : nm));
  const chosen = new Set(selectParameters(parm, [...varNames, ...m.fixefNames], nv));
  const out: ProfileInterval[] = [];
  // ζ = sign(x − estimate)·√devdiff at each evaluation, recorded when traces are asked for
  const traced = (name: string, est: number, devdiff: (x: number) => number) => tracedProfile(traces, name, est, devdiff);
  for (let w = 0; w < nv; w++) {
    if (!chosen.has(w)) continue;
    const name = varNames[w];
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
    const lower = crossing(devdiff, est, step, -1, sc.lower[w], z);
    start = Float64Array.from(reset);
    const upper = crossing(devdiff, est, step, 1, sc.upper[w], z);
    out.push({ name, estimate: est, lower, upper });
  }
  // fixed effects: fixing β_j adds (β_j − β̂_j(θ))² / V_jj(θ) to the penalized RSS, profiled over θ
  const se = m.standardErrors();
  m.fixefNames.forEach((name, j) => {
    if (!chosen.has(nv + j)) return;
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
    const lower = crossing(devdiff, est, se[j], -1, -Infinity, z);
    const upper = crossing(devdiff, est, se[j], 1, Infinity, z);
    out.push({ name, estimate: est, lower, upper });
  });
  return out;
}
