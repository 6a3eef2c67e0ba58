/**
 * lme4's convergence checks after the optimizer stops, as lme4 1.1-31 does them with lmerControl()'s
 * defaults (R/checkConv.R `checkConv` / `checkHess`, R/lmer.R `optwrap`), and a second opinion on the
 * warnings that lme4 is known to give falsely.
 *
 * lme4's rules, in its order:
 * 1. Derivatives: `deriv12(devfun, opt$par)` — central differences, δ = 1e-4, no bounds (see
 *    finite-differences.ts). lme4 computes them at the optimizer's θ, before `check.boundary` moves
 *    θ within 1e-5 of a bound onto it; the singular test reads the moved θ.
 * 2. Singular fit (check.conv.singular, tol 1e-4, action "message"): some θᵢ with lower bound 0 below
 *    1e-4 → message "boundary (singular) fit: see help('isSingular')", and no further checks.
 * 3. A gradient with NaN: code −5, "Gradient contains NAs" in @optinfo$conv$lme4$messages, no warning.
 * 4. Gradient (check.conv.grad, tol 0.002, action "warning"): s = solve(chol(H), g) (Rᵀ·R = H, s = R⁻¹g);
 *    if chol fails, solve() finds R computationally singular (reciprocal condition number below
 *    2.2e-16, e.g. an infinite entry) or s has NaN → warning "unable to evaluate scaled gradient",
 *    code −1; otherwise
 *    max_i min(|sᵢ|, |gᵢ|) > tol → warning "Model failed to converge with max|grad| = %g (tol = %g,
 *    component %d)", code −1 (the component is `which.max` of that single maximum: always 1).
 * 5. Hessian (check.conv.hess, tol 1e-6, action "warning"), eigenvalues λ of H: non-finite H → −6
 *    "Problem with Hessian check (infinite or missing values?)"; else k = #{λ < −tol} > 0 → −3
 *    "Model failed to converge: degenerate  Hessian with k negative eigenvalues" (two spaces, as lme4
 *    pastes an empty Hessian type); else some |λ| < tol or chol(H) fails → −4 " Hessian is numerically
 *    singular: parameters are not uniquely determined" (leading space, same reason); else max λ·tol > 1
 *    → 2 "Model is nearly unidentifiable: very large eigenvalue\n - Rescale variables?" and
 *    min λ / max λ < tol → 3 "…: large eigenvalue ratio\n - Rescale variables?". The Hessian's messages
 *    go out as one warning joined by ";"; its codes replace the gradient's −1.
 */
import { deriv12 } from './finite-differences.js';
import {
  allFinite,
  choleskyLower,
  choleskyReciprocalCondition,
  solveLowerTransposed,
  symmetricEigenvalues,
} from '../linalg/symmetric.js';
import { formatG } from '../text/format-number.js';

/** lme4's isSingular / check.conv.singular tolerance. */
export const SINGULAR_TOL = 1e-4;
/** lmerControl's check.conv.grad tolerance. */
export const GRADIENT_TOL = 0.002;
/** lmerControl's check.conv.hess tolerance. */
export const HESSIAN_TOL = 1e-6;
/** lme4's deriv12 step. */
export const DERIVATIVE_STEP = 1e-4;
/** The message lme4 gives for a singular fit. */
export const SINGULAR_MESSAGE = "boundary (singular) fit: see help('isSingular')";

/** Options of the checks (lmerControl's defaults unless given). */
export interface ConvergenceOptions {
  /** check.conv.grad tolerance (0.002). */
  gradientTol?: number;
  /** check.conv.singular tolerance (1e-4). */
  singularTol?: number;
  /** check.conv.hess tolerance (1e-6). */
  hessianTol?: number;
  /** Finite-difference step (1e-4). */
  delta?: number;
  /**
   * θ as the fit reports it, after lme4's boundary adjustment (θ within 1e-5 of its bound moved onto
   * it when that lowers the deviance). The singular test reads this θ; the derivatives are taken at
   * `theta`, the optimizer's result, as lme4 does. Default: `theta`.
   */
  reportedTheta?: ArrayLike<number>;
  /**
   * The exact gradient of f (null where unavailable). When given and available at θ̂, the checks use it
   * and a Hessian from central differences of it (`exactDerivatives`: 2n + 1 gradients instead of 2n²
   * evaluations of f); otherwise lme4's deriv12 on f.
   */
  gradient?: (theta: Float64Array) => Float64Array | null;
  /**
   * An exact gradient of f for the Hessian alone (central differences of it at θ ± δ: 2n gradients), the
   * gradient being lme4's central differences of f (2n evaluations, deriv12's numbers), so that the gradient
   * test reads what lme4's does where f's third derivatives make those differences differ from the exact
   * gradient. Where it is unavailable: deriv12 on f.
   */
  hessianGradient?: (theta: Float64Array) => Float64Array | null;
  /**
   * With `hessianGradient`: f at a point the gradient was just computed at (the same array), as the
   * gradient's own run evaluates it, up to a constant (undefined where it has none). Its central
   * differences then give lme4's gradient without the 2n evaluations of f.
   */
  gradientDeviance?: (theta: Float64Array) => number | undefined;
  /**
   * Where the reported θ is singular, lme4's checks end at the singular test: its messages and codes read
   * neither derivative. With this option the derivatives (still lme4's @optinfo$derivs) are then computed
   * only when `gradient` or `hessian` is first read, from these functions, which must stay valid after the
   * fit (they are called at θ̂ and θ̂ ± δ, as the eager route calls `f` and `options.gradient`).
   */
  deferWhenSingular?: { f: (theta: Float64Array) => number; gradient?: (theta: Float64Array) => Float64Array | null };
}

/** One warning lme4 gives, with what lies behind it. */
export interface Lme4Warning {
  /** The text lme4 passes to warning(). */
  text: string;
  /** lme4's codes behind it: −1 gradient, −3 negative eigenvalues, −4 singular Hessian, −6 bad Hessian, 2, 3. */
  codes: number[];
  /**
   * Whether it says the optimizer has not reached a minimum (the gradient test, negative eigenvalues),
   * which a restart of the optimizer can confirm or refute. Identifiability warnings (singular Hessian,
   * very large eigenvalue or eigenvalue ratio, a Hessian that cannot be checked) are not.
   */
  aboutConvergence: boolean;
}

/** What a restart from θ̂ found (see `confirmWithRestart`). */
export interface SecondOpinionInfo {
  /** θ and deviance where the restarted optimizer stopped. */
  theta: Float64Array;
  fval: number;
  /** Deviance at θ̂ minus the restart's (positive: the restart went lower). */
  improvement: number;
  /** Largest improvement still counted as "converged". */
  tolerance: number;
  /** The restart lowered the deviance by more than `tolerance`: lme4's warnings stand. */
  confirmed: boolean;
}

/** What the checks found (the part the fitted model keeps). */
export interface ConvergenceReport {
  /**
   * Finite-difference gradient of the deviance at θ̂ (lme4's @optinfo$derivs$gradient). At a singular θ̂,
   * where lme4's messages do not depend on it, lmer computes it (and `hessian`) when first read.
   */
  gradient: Float64Array;
  /** Finite-difference Hessian, row-major (lme4's @optinfo$derivs$Hessian). */
  hessian: Float64Array;
  /** Some θᵢ with lower bound 0 below 1e-4 (lme4's isSingular). */
  singular: boolean;
  /** Messages as lme4 emits them with message() ("boundary (singular) fit: …"). */
  messages: string[];
  /** Warnings to show: lme4's, less those a second opinion found false (see `lme4Warnings`). */
  warnings: string[];
  /** lme4's @optinfo$conv$lme4$code: the first code, or null when there is nothing to report. */
  code: number | null;
  /** lme4's codes in full (the Hessian check can give two: 2 and 3). */
  codes?: number[];
  /** lme4's @optinfo$conv$lme4$messages. */
  lme4Messages?: string[];
  /** Warnings lme4 gives that a restart showed to be false (not in `warnings`). */
  lme4Warnings?: string[];
  /** The restart's findings when `confirmWithRestart` ran one. */
  secondOpinion?: SecondOpinionInfo;
}

/** The full result of the checks. */
export interface ConvergenceCheck extends ConvergenceReport {
  codes: number[];
  lme4Messages: string[];
  lme4Warnings: string[];
  /** lme4's warnings in order, with codes and kind (their texts are `warnings` before any second opinion). */
  details: Lme4Warning[];
  /** max_i min(|sᵢ|, |gᵢ|) of the gradient test, or null when it was not computed. */
  maxGradient: number | null;
  /** Eigenvalues of the Hessian in decreasing order, or null when not computed. */
  eigenvalues: Float64Array | null;
}

/** lme4's checkHess on a symmetric n×n H: codes and messages (empty when all is well). */
function checkHessian(H: Float64Array, n: number, tol: number): { codes: number[]; messages: string[]; eigenvalues: Float64Array | null } {
  if (!allFinite(H)) {
    return { codes: [-6], messages: ['Problem with Hessian check (infinite or missing values?)'], eigenvalues: null };
  }
  const ev = symmetricEigenvalues(H, n);
  const negative = ev.filter((v) => v < -tol).length;
  if (negative > 0) {
    return { codes: [-3], messages: [`Model failed to converge: degenerate  Hessian with ${negative} negative eigenvalues`], eigenvalues: ev };
  }
  const zero = ev.filter((v) => Math.abs(v) < tol).length;
  if (zero > 0 || choleskyLower(H, n) === null) {
    return { codes: [-4], messages: [' Hessian is numerically singular: parameters are not uniquely determined'], eigenvalues: ev };
  }
  const codes: number[] = [];
  const messages: string[] = [];
  const max = ev[0];
  const min = ev[n - 1];
  if (max * tol > 1) {
    codes.push(2);
    messages.push('Model is nearly unidentifiable: very large eigenvalue\n - Rescale variables?');
  }
  if (min / max < tol) {
    codes.push(3);
    messages.push('Model is nearly unidentifiable: large eigenvalue ratio\n - Rescale variables?');
  }
  return { codes, messages, eigenvalues: ev };
}

/** R's .Machine$double.eps: `solve` refuses systems with a smaller reciprocal condition number. */
const DOUBLE_EPS = 2.220446049250313e-16;

/**
 * lme4's scaled gradient solve(chol(H), g) = R⁻¹g with RᵀR = H, or null where R fails: chol(H) fails
 * (H not positive definite), or solve() finds R computationally singular (which includes any infinite
 * entry of H).
 */
function scaledGradient(H: Float64Array, g: Float64Array, n: number): Float64Array | null {
  const L = choleskyLower(H, n);
  if (L === null) return null;
  if (choleskyReciprocalCondition(L, n) < DOUBLE_EPS) return null;
  return solveLowerTransposed(L, n, g);
}

/**
 * lme4's checkConv on derivatives already computed: the singular test, the gradient test and the
 * Hessian tests, with lme4's texts and codes. `lower` holds the θ lower bounds (0 for diagonal elements
 * of the relative covariance factors, −∞ otherwise); `theta` is the θ the fit reports.
 */
export function checkDerivatives(
  derivs: { gradient: ArrayLike<number>; hessian: ArrayLike<number> },
  theta: ArrayLike<number>,
  lower: ArrayLike<number>,
  options: Omit<ConvergenceOptions, 'delta' | 'reportedTheta'> = {},
): ConvergenceCheck {
  const n = lower.length;
  const gradient = Float64Array.from(derivs.gradient);
  const hessian = Float64Array.from(derivs.hessian);
  const singularTol = options.singularTol ?? SINGULAR_TOL;
  const gradientTol = options.gradientTol ?? GRADIENT_TOL;
  const hessianTol = options.hessianTol ?? HESSIAN_TOL;
  const report: ConvergenceCheck = {
    gradient,
    hessian,
    singular: false,
    messages: [],
    warnings: [],
    code: null,
    codes: [],
    lme4Messages: [],
    lme4Warnings: [],
    details: [],
    maxGradient: null,
    eigenvalues: null,
  };
  report.singular = isSingular(theta, lower, singularTol);
  if (report.singular) {
    report.messages.push(SINGULAR_MESSAGE);
    report.lme4Messages.push(SINGULAR_MESSAGE);
    return report;
  }
  if (gradient.some((g) => Number.isNaN(g))) {
    report.codes = [-5];
    report.code = -5;
    report.lme4Messages.push('Gradient contains NAs');
    return report;
  }

  const scaled = scaledGradient(hessian, gradient, n);
  if (scaled === null || scaled.some((s) => Number.isNaN(s))) {
    report.details.push({ text: 'unable to evaluate scaled gradient', codes: [-1], aboutConvergence: true });
    report.codes = [-1];
  } else {
    let maxmin = -Infinity;
    for (let i = 0; i < n; i++) maxmin = Math.max(maxmin, Math.min(Math.abs(scaled[i]), Math.abs(gradient[i])));
    report.maxGradient = maxmin;
    if (maxmin > gradientTol) {
      const text = `Model failed to converge with max|grad| = ${formatG(maxmin, 6)} (tol = ${formatG(gradientTol, 6)}, component 1)`;
      report.details.push({ text, codes: [-1], aboutConvergence: true });
      report.codes = [-1];
    }
  }
  report.lme4Messages.push(...report.details.map((d) => d.text));

  const hess = checkHessian(hessian, n, hessianTol);
  report.eigenvalues = hess.eigenvalues;
  if (hess.codes.length > 0) {
    report.codes = hess.codes;
    report.lme4Messages.push(...hess.messages);
    report.details.push({ text: hess.messages.join(';'), codes: hess.codes, aboutConvergence: hess.codes[0] === -3 });
  }
  report.code = report.codes.length > 0 ? report.codes[0] : null;
  report.warnings = report.details.map((d) => d.text);
  return report;
}

/**
 * lme4's convergence checks at the optimum: finite-difference gradient and Hessian of the deviance f at
 * θ̂ (lme4's deriv12, δ = 1e-4, 2n² evaluations of f besides `fval` = f(θ̂)), then `checkDerivatives`.
 *
 * @param f the profiled deviance (or REML criterion) as a function of θ; it must accept θ below its
 *   lower bound (lme4 evaluates θᵢ − δ there).
 * @param theta the optimizer's θ̂.
 * @param lower lower bounds of θ.
 * @param fval f(θ̂).
 */
export function checkConvergence(
  f: (theta: Float64Array) => number,
  theta: ArrayLike<number>,
  lower: ArrayLike<number>,
  fval: number,
  options: ConvergenceOptions = {},
): ConvergenceCheck {
  const delta = options.delta ?? DERIVATIVE_STEP;
  const reported = options.reportedTheta ?? theta;
  const deferred = options.deferWhenSingular;
  if (deferred && isSingular(reported, lower, options.singularTol ?? SINGULAR_TOL)) {
    const at = Float64Array.from(theta);
    const report = checkDerivatives({ gradient: [], hessian: [] }, reported, lower, options);
    let derivs: { gradient: Float64Array; hessian: Float64Array } | null = null;
    const get = () => (derivs ??= derivativesAt(deferred.f, at, fval, delta, deferred.gradient));
    return Object.defineProperties(report, {
      gradient: { get: () => get().gradient, enumerable: true, configurable: true },
      hessian: { get: () => get().hessian, enumerable: true, configurable: true },
    });
  }
  return checkDerivatives(derivativesAt(f, theta, fval, delta, options.gradient, options.hessianGradient, options.gradientDeviance), reported, lower, options);
}

/** lme4's singular test: some θᵢ with lower bound 0 below `tol`. */
export function isSingular(theta: ArrayLike<number>, lower: ArrayLike<number>, tol: number): boolean {
  for (let i = 0; i < lower.length; i++) if (lower[i] === 0 && theta[i] < tol) return true;
  return false;
}

/** The check's gradient and Hessian at θ: from the exact gradient where it is available, else deriv12. */
function derivativesAt(
  f: (theta: Float64Array) => number,
  theta: ArrayLike<number>,
  fval: number,
  delta: number,
  gradient?: (theta: Float64Array) => Float64Array | null,
  hessianGradient?: (theta: Float64Array) => Float64Array | null,
  gradientDeviance?: (theta: Float64Array) => number | undefined,
): { gradient: Float64Array; hessian: Float64Array } {
  return (
    (gradient ? exactDerivatives(gradient, theta, delta) : null) ??
    (hessianGradient ? exactDerivatives(hessianGradient, theta, delta, f, gradientDeviance) : null) ??
    deriv12(f, theta, { delta, fx: fval })
  );
}

/**
 * A copy of a report with some fields replaced, keeping deferred derivatives deferred (a spread would read
 * them, and so compute them).
 */
export function copyReport<T extends ConvergenceReport>(report: T, changes: Partial<T> = {}): T {
  const out = Object.defineProperties({}, Object.getOwnPropertyDescriptors(report)) as T;
  return Object.assign(out, changes);
}

/**
 * The gradient at θ from an exact gradient function, and the Hessian from central differences of that
 * gradient (step δ in each coordinate, as lme4's; symmetrised), or null when the gradient is unavailable
 * at any of the 2n + 1 points. The Hessian's error is O(δ²) in the third derivatives, like deriv12's, but
 * without the rounding of second differences of f (whose relative error is ε·|f|/δ², large for a
 * deviance of order 1e5). With `f`, the gradient is instead lme4's central differences of f (as deriv12
 * computes them), and the exact gradient is needed at the 2n points θ ± δ only; with `gradientDeviance`,
 * f there comes from the gradient's runs.
 */
export function exactDerivatives(
  gradient: (theta: Float64Array) => Float64Array | null,
  theta: ArrayLike<number>,
  delta: number = DERIVATIVE_STEP,
  f?: (theta: Float64Array) => number,
  gradientDeviance?: (theta: Float64Array) => number | undefined,
): { gradient: Float64Array; hessian: Float64Array } | null {
  const n = theta.length;
  // with f, the gradient is deriv12's (f(θ + δ) − f(θ − δ)) / (δ + δ), and no exact gradient at θ is needed
  const g = f ? new Float64Array(n) : gradient(Float64Array.from(theta));
  if (g === null) return null;
  const hessian = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const up = Float64Array.from(theta);
    const down = Float64Array.from(theta);
    up[j] += delta;
    down[j] -= delta;
    const gu = gradient(up);
    if (gu === null) return null;
    const gd = gradient(down);
    if (gd === null) return null;
    if (f) {
      // both differences' ends from one source: the gradient's runs (a constant apart from f) or f
      const du = gradientDeviance?.(up);
      const dd = gradientDeviance?.(down);
      g[j] = du !== undefined && dd !== undefined ? (du - dd) / (delta + delta) : (f(up) - f(down)) / (delta + delta);
    }
    for (let i = 0; i < n; i++) hessian[i * n + j] = (gu[i] - gd[i]) / (2 * delta);
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const h = (hessian[i * n + j] + hessian[j * n + i]) / 2;
      hessian[i * n + j] = h;
      hessian[j * n + i] = h;
    }
  }
  return { gradient: Float64Array.from(g), hessian };
}

/** Restarts the optimizer from θ̂ (deviance fval there) and returns where it stopped. */
export type RestartOptimizer = (theta: Float64Array, fval: number) => { theta: Float64Array; fval: number };

/**
 * Tolerances of the second opinion: a restart that lowers the deviance by at most
 * `absoluteTol + relativeTol·|deviance|` counts as no improvement.
 *
 * - absoluteTol 1e-6: for one parameter with curvature H ≥ 1, lme4's test |g|/√H ≤ 0.002 is the same as
 *   "the Newton step would lower the deviance by g²/(2H) ≤ 2e-6", so on small data (where the relative
 *   part is negligible) the restart is held to about lme4's own standard.
 * - relativeTol 1e-9: the deviance cannot change in its first 9 significant digits. The optimizer stops
 *   on a relative tolerance in θ (xtol_rel 1e-4), which leaves a deviance gap of order ½·H·(1e-4·θ)²; H,
 *   like the deviance, grows in proportion to the number of observations, and so does the gap, far
 *   below this tolerance. (In deviance units the gap is about half the squared distance to the optimum
 *   in standard errors: 1e-9 of a deviance of 1e5 is a few hundredths of a standard error.)
 */
export interface SecondOpinionOptions {
  /** Improvement of the deviance always counted as none (default 1e-6). */
  absoluteTol?: number;
  /** Improvement relative to |deviance| counted as none (default 1e-9). */
  relativeTol?: number;
}

/** Default tolerances of `confirmWithRestart`. */
export const SECOND_OPINION_DEFAULTS: Required<SecondOpinionOptions> = { absoluteTol: 1e-6, relativeTol: 1e-9 };

/**
 * A second opinion on lme4's convergence warnings. lme4's gradient test has an absolute tolerance
 * (0.002) on derivatives of a deviance that grows with the number of observations, while the optimizer
 * stops on a relative tolerance in θ, so the test fails on large data at optima that are as good as the
 * optimizer can make them. The warning's claim is that the deviance can still go down; this function
 * puts the claim to the test: when lme4 warns that the optimizer has not converged (failed gradient test
 * or negative Hessian eigenvalues), it restarts the optimizer from θ̂ (the caller's `restart`) and
 *
 * - if the restart lowers the deviance by more than `absoluteTol + relativeTol·|fval|`, the warning
 *   stands (`secondOpinion.confirmed`): it stays in `warnings`, and the caller should take the
 *   restart's θ (and check again there);
 * - otherwise the warning is false: it moves from `warnings` to `lme4Warnings` (kept there with lme4's
 *   exact text for comparison), and θ̂ stands.
 *
 * Identifiability warnings (singular Hessian, large eigenvalues) are not about convergence and are
 * left in `warnings`. lme4's `code`, `codes` and `lme4Messages` are left as lme4 would report them.
 * Without a convergence warning the report is returned unchanged and `restart` is not called.
 *
 * Example (sleepstudy stacked 200 times, n = 36000, ML): at lme4's θ̂ lme4 warns "Model failed to
 * converge with max|grad| = 0.00281143 (tol = 0.002, component 1)"; BOBYQA restarted there lowers the
 * deviance (350387.87) by 5e-6, under the tolerance 3.5e-4, so the warning is false. A fit stopped
 * after 20 evaluations (max|grad| = 0.13) is lowered by 0.009 by the restart, so that warning stands.
 *
 * @param check the result of `checkConvergence` at θ̂.
 * @param fval the deviance at θ̂.
 * @param theta θ̂ (the restart's start).
 * @param restart runs the optimizer from θ̂; e.g. `(t) => { const r = bobyqa(f, t, lower, upper); return { theta: r.x, fval: r.fx }; }`.
 */
export function confirmWithRestart(
  check: ConvergenceCheck,
  fval: number,
  theta: ArrayLike<number>,
  restart: RestartOptimizer,
  options: SecondOpinionOptions = {},
): ConvergenceCheck {
  if (!check.details.some((d) => d.aboutConvergence)) return check;
  const absoluteTol = options.absoluteTol ?? SECOND_OPINION_DEFAULTS.absoluteTol;
  const relativeTol = options.relativeTol ?? SECOND_OPINION_DEFAULTS.relativeTol;
  const result = restart(Float64Array.from(theta), fval);
  const improvement = Number.isFinite(result.fval) ? fval - result.fval : 0;
  const tolerance = absoluteTol + relativeTol * Math.abs(fval);
  const confirmed = improvement > tolerance;
  const secondOpinion: SecondOpinionInfo = { theta: Float64Array.from(result.theta), fval: result.fval, improvement, tolerance, confirmed };
  if (confirmed) return { ...check, secondOpinion };
  const dismissed = check.details.filter((d) => d.aboutConvergence).map((d) => d.text);
  return {
    ...check,
    warnings: check.details.filter((d) => !d.aboutConvergence).map((d) => d.text),
    lme4Warnings: [...check.lme4Warnings, ...dismissed],
    secondOpinion,
  };
}
