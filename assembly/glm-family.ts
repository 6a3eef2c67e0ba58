// The GLM families and links of glmer, elementwise, for PIRLS inside the engine: the same clamps as
// src/fit/family.ts (lme4's glmFamily.cpp: inverse links and dμ/dη kept at least the machine epsilon
// away from 0 and 1, the binomial variance at least epsilon) and R's deviance residuals.
// exp, log, log1p, expm1 and atan are fdlibm's, computed in the engine (fdlibm.ts): what Node's V8 computes for
// Math.exp, Math.log, ..., so PIRLS computes bit for bit what src/fit/family.ts does under Node
// (test/pirls-host-math.test.ts), and the same bits in every host (Chromium's V8 rounds Math.exp and Math.log
// unlike Node 20's). Not the table-driven exp and log of libm.ts (glibc's, R's): they differ in the last bit, and
// on an ill-conditioned fit (test/glmer-convergence.test.ts, conv_scaled_bern: a predictor in the thousands, a
// correlated slope) that bit, amplified by the weighted least squares, sends the optimizers down another path
// to a point above lme4's optimum.
// pirls.ts's loops for the logit and log links use logitFromExp, logFromExp and devResidFromLogs below; the
// other links go through linkinvDeriv.
import { exp as fexp, log as flog, expm1 as fexpm1, atan as fatan } from './fdlibm';

export const FAMILY_BINOMIAL: i32 = 0;
export const FAMILY_POISSON: i32 = 1;

export const LINK_LOGIT: i32 = 0;
export const LINK_PROBIT: i32 = 1;
export const LINK_CLOGLOG: i32 = 2;
export const LINK_CAUCHIT: i32 = 3;
export const LINK_LOG: i32 = 4;
export const LINK_SQRT: i32 = 5;
export const LINK_IDENTITY: i32 = 6;

const EPS: f64 = 2.220446049250313e-16;
const INV_SQRT_PI: f64 = 0.5641895835477563; // 1/√π
const SQRT_2PI: f64 = 2.5066282746310002; // √(2π)

// @ts-ignore: decorator
@inline function clamp01(p: f64): f64 {
  return max(EPS, min(1.0 - EPS, p));
}

/**
 * erfc(t) for t ≥ 0. Below 2: 1 − erf(t) with erf(t) = (2/√π) e^{−t²} Σ (2t²)ⁿ t / (1·3···(2n+1)), a series of
 * positive terms (no cancellation); from 2 on: the continued fraction
 * erfc(t) = e^{−t²}/√π · 1/(t + ½/(t + 1/(t + (3/2)/(t + …)))), evaluated by the modified Lentz method.
 */
function erfc(t: f64): f64 {
  if (t < 2.0) {
    const a = 2.0 * t * t;
    let term = t;
    let s = t;
    for (let n = 1; n < 200; n++) {
      term *= a / <f64>(2 * n + 1);
      s += term;
      if (term < 1e-17 * s) break;
    }
    return 1.0 - 2.0 * INV_SQRT_PI * fexp(-t * t) * s;
  }
  // f = t + a1/(t + a2/(t + …)) with a_k = k/2
  const tiny = 1e-300;
  let f = t;
  let c = t;
  let d = 0.0;
  for (let k = 1; k < 500; k++) {
    const ak = 0.5 * <f64>k;
    d = t + ak * d;
    if (d == 0.0) d = tiny;
    c = t + ak / c;
    if (c == 0.0) c = tiny;
    d = 1.0 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1.0) < 1e-16) break;
  }
  return (INV_SQRT_PI * fexp(-t * t)) / f;
}

/** Standard normal distribution function, from the upper tail on either side (tails keep their digits). */
function pnorm(x: f64): f64 {
  const t = Math.abs(x) * Math.SQRT1_2;
  const upper = 0.5 * erfc(t);
  return x >= 0.0 ? 1.0 - upper : upper;
}

/** μ = g⁻¹(η). */
export function linkinv(link: i32, eta: f64): f64 {
  switch (link) {
    case LINK_LOGIT: {
      if (eta >= 0.0) return clamp01(1.0 / (1.0 + fexp(-eta)));
      const e = fexp(eta);
      return clamp01(e / (1.0 + e));
    }
    case LINK_PROBIT: return min(1.0 - EPS, pnorm(eta));
    case LINK_CLOGLOG: return clamp01(-fexpm1(-fexp(eta)));
    case LINK_CAUCHIT: return min(1.0 - EPS, 0.5 + fatan(eta) / Math.PI);
    case LINK_LOG: return max(EPS, fexp(eta));
    case LINK_SQRT: return eta * eta;
    default: return eta;
  }
}

/** μ = g⁻¹(η) and dμ/dη together (the exponential they share computed once); returns μ, writes dμ/dη at `dmu`. */
// @ts-ignore: decorator
@inline export function linkinvDeriv(link: i32, eta: f64, dmu: usize): f64 {
  switch (link) {
    case LINK_LOGIT: return logitFromExp(eta, fexp(-Math.abs(eta)), dmu);
    case LINK_LOG: return logFromExp(fexp(eta), dmu);
    case LINK_CLOGLOG: {
      const e = fexp(eta);
      store<f64>(dmu, max(EPS, fexp(eta - e)));
      return clamp01(-fexpm1(-e));
    }
    default:
      store<f64>(dmu, muEta(link, eta));
      return linkinv(link, eta);
  }
}

/** The logit link's μ, and dμ/dη at `dmu`, from e = exp(−|η|) (so PIRLS may compute the exponentials in one pass). */
// @ts-ignore: decorator
@inline export function logitFromExp(eta: f64, e: f64, dmu: usize): f64 {
  store<f64>(dmu, max(EPS, e / ((1.0 + e) * (1.0 + e))));
  return clamp01(eta >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e));
}

/** The log link's μ = dμ/dη (written at `dmu`) from e = exp(η). */
// @ts-ignore: decorator
@inline export function logFromExp(e: f64, dmu: usize): f64 {
  const m = max(EPS, e);
  store<f64>(dmu, m);
  return m;
}

/** `logitFromExp` for two rows (η and e = exp(−|η|) per lane; dμ/dη to the two doubles at `dmu`): the same operations per lane, so the same bits. */
// @ts-ignore: decorator
@inline export function logitFromExpX2(eta: v128, e: v128, dmu: usize): v128 {
  const one = f64x2.splat(1.0);
  const onePlus = f64x2.add(one, e);
  v128.store(dmu, f64x2.max(f64x2.splat(EPS), f64x2.div(e, f64x2.mul(onePlus, onePlus))));
  const m = f64x2.div(v128.bitselect(one, e, f64x2.ge(eta, f64x2.splat(0.0))), onePlus);
  return f64x2.max(f64x2.splat(EPS), f64x2.min(f64x2.splat(1.0 - EPS), m));
}

/** `logFromExp` for two rows. */
// @ts-ignore: decorator
@inline export function logFromExpX2(e: v128, dmu: usize): v128 {
  const m = f64x2.max(f64x2.splat(EPS), e);
  v128.store(dmu, m);
  return m;
}

/** dμ/dη at η. */
export function muEta(link: i32, eta: f64): f64 {
  switch (link) {
    case LINK_LOGIT: {
      const e = fexp(-Math.abs(eta));
      return max(EPS, e / ((1.0 + e) * (1.0 + e)));
    }
    case LINK_PROBIT: return fexp(-0.5 * eta * eta) / SQRT_2PI;
    case LINK_CLOGLOG: return max(EPS, fexp(eta - fexp(eta)));
    case LINK_CAUCHIT: return 1.0 / (Math.PI * (1.0 + eta * eta));
    case LINK_LOG: return max(EPS, fexp(eta));
    case LINK_SQRT: return 2.0 * eta;
    default: return 1.0;
  }
}

/** Var(μ) up to the dispersion. */
// @ts-ignore: decorator
@inline export function variance(family: i32, mu: f64): f64 {
  return family == FAMILY_BINOMIAL ? max(EPS, mu * (1.0 - mu)) : mu;
}

/** `variance` of two rows at once (f64x2.max rounds and orders as max, so the same bits). */
// @ts-ignore: decorator
@inline export function varianceX2(family: i32, mu: v128): v128 {
  return family == FAMILY_BINOMIAL ? f64x2.max(f64x2.splat(EPS), f64x2.mul(mu, f64x2.sub(f64x2.splat(1.0), mu))) : mu;
}

/** y log(y/μ) given log(y/μ) (0 at y = 0, whatever the logarithm). */
// @ts-ignore: decorator
@inline function yLogY(y: f64, logRatio: f64): f64 {
  return y == 0.0 ? 0.0 : y * logRatio;
}

/**
 * One squared deviance residual 2·wt·(log f(y|y) − log f(y|μ)), given log(y/μ) and (binomial) log((1 − y)/(1 − μ))
 * (computed by the caller, for all rows at once; either may be anything where its factor y or 1 − y is 0).
 */
// @ts-ignore: decorator
@inline export function devResidFromLogs(family: i32, y: f64, wt: f64, mu: f64, logA: f64, logB: f64): f64 {
  if (family == FAMILY_BINOMIAL) return 2.0 * wt * (yLogY(y, logA) + yLogY(1.0 - y, logB));
  return 2.0 * wt * (yLogY(y, logA) - (y - mu));
}

/**
 * One row's deviance residual, R's y log(y/μ) (+ (1 − y) log((1 − y)/(1 − μ)) for binomial): a logarithm is
 * taken only where its factor is nonzero, so a 0/1 response costs one per row; which one is chosen without a
 * branch (the predictor cannot learn y), and the second only for a proportion strictly between 0 and 1.
 */
export function devResid(fam: i32, y: f64, wt: f64, m: f64): f64 {
  const a = y / m;
  if (fam != FAMILY_BINOMIAL) return devResidFromLogs(fam, y, wt, m, flog(a), 0.0);
  const b = (1.0 - y) / (1.0 - m);
  const hasY = y != 0.0;
  const first = flog(select<f64>(a, b, hasY));
  let second = first;
  if (hasY && 1.0 - y != 0.0) second = flog(b);
  // devResidFromLogs ignores log(y/μ) at y = 0 and log((1 − y)/(1 − μ)) at y = 1
  return devResidFromLogs(fam, y, wt, m, first, second);
}
