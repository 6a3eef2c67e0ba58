/**
 * glmer's second stage (θ and β together, lme4's nAGQ ≥ 1 stage) in coordinates where the Laplace deviance
 * is nearly spherical: BOBYQA without derivatives, or BFGS on the engine's exact Laplace gradient.
 */
import { choleskyLower } from '../linalg/symmetric.js';
import { bobyqa, newton } from '../optim/index.js';
import type { OptimResult } from '../optim/index.js';
import type { LaplaceGradientFn } from './laplace-gradient.js';

/**
 * Stage 2 by BOBYQA in coordinates where the deviance is nearly spherical: x = x₀ + T z, T = diag(s) for θ
 * (thetaSteps), and for β a square root C of stage 1's (R_X'R_X)⁻¹ (C·C' = Var(β)), so that β is
 * measured in its standard errors along its correlations. BOBYQA's trust region is a ball and its model
 * learns the off-diagonal curvature slowly: correlated fixed effects (factors' contrasts) otherwise cost it
 * a long zig-zag. From ρ = 0.1 (stage 1's point is already close in these units) down to 1e-5 in z (a tenth of
 * lme4's Nelder–Mead x tolerance in these units).
 */
export function scaledBobyqa(f: (x: Float64Array) => number, x0: Float64Array, lower: Float64Array, upper: Float64Array, thetaScale: Float64Array, betaRoot: Float64Array) {
  const m = x0.length;
  const nth = thetaScale.length;
  const lo = new Float64Array(m).fill(-Infinity);
  const hi = new Float64Array(m).fill(Infinity);
  for (let i = 0; i < nth; i++) {
    if (lower[i] !== -Infinity) lo[i] = (lower[i] - x0[i]) / thetaScale[i];
    if (upper[i] !== Infinity) hi[i] = (upper[i] - x0[i]) / thetaScale[i];
  }
  const at = fromScaled(x0, thetaScale, betaRoot, false);
  // the deviance reads its point and keeps nothing: one scratch point for every evaluation
  const point = new Float64Array(m);
  const r = bobyqa((z) => f(at(z, point)), new Float64Array(m), lo, hi, { rhoBeg: 0.1, rhoEnd: 1e-5, ftolAbs: 0, xtolRel: 0, maxEvaluations: 200 * m });
  return { ...r, x: at(r.x, new Float64Array(m)), name: 'bobyqa-scaled' };
}

/**
 * β's steps for the scaled stage 2: C with C·C' = (R_X'R_X)⁻¹ (stage 1's Var(β)), each row shrunk as lme4's
 * steps are where its standard error exceeds 10 (a separated column's runs to thousands, and PIRLS fails
 * that far out). The diagonal of standard errors if the factor is not positive definite.
 */
export function betaSteps(unsc: Float64Array, p: number): Float64Array {
  const sd = Array.from({ length: p }, (_, a) => Math.sqrt(unsc[a * p + a]));
  const C = choleskyLower(unsc, p) ?? Float64Array.from({ length: p * p }, (_, k) => (k % (p + 1) === 0 ? sd[k / (p + 1)] : 0));
  for (let a = 0; a < p; a++) {
    const shrink = Math.min(sd[a], 10) / sd[a];
    for (let b = 0; b <= a; b++) C[a * p + b] *= shrink;
  }
  return C;
}

/**
 * θ's steps for the scaled stage 2: lme4's 0.1, divided by the root mean square of the term's column where
 * that exceeds 1. θ's row r scales column r of Z (b = Λu): a slope on a predictor in the thousands has its θ
 * in the thousandths, which a step of 0.1 would overshoot by orders of magnitude.
 */
export function thetaSteps(terms: readonly { columns: readonly string[]; z: Float64Array }[]): Float64Array {
  const steps: number[] = [];
  for (const t of terms) {
    const k = t.columns.length;
    const n = t.z.length / k;
    const rms = t.columns.map((_, r) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += t.z[i * k + r] * t.z[i * k + r];
      return Math.sqrt(s / n);
    });
    for (let c = 0; c < k; c++) for (let r = c; r < k; r++) steps.push(0.1 / Math.max(1, rms[r]));
  }
  return Float64Array.from(steps);
}

/**
 * Stage 2 by BFGS (optim/newton.ts) on the exact Laplace gradient, in the coordinates of scaledBobyqa but
 * with θ = s·z unshifted (BFGS there minimises over all of ℝᵐ and flips a column of T whose diagonal ends
 * negative; the deviance is even in each column, so the flip must act on θ itself): β = β₀ + C z_β. The
 * line search reads the deviance off each gradient's run (a constant apart from f's, fixed at the start);
 * the result's value is f's own. Returns null where the gradient is unavailable at the start (the caller
 * falls back to scaledBobyqa).
 */
export function scaledNewton(
  f: (x: Float64Array) => number,
  gradient: LaplaceGradientFn,
  x0: Float64Array,
  lower: Float64Array,
  thetaScale: Float64Array,
  betaRoot: Float64Array,
): (OptimResult & { name: string }) | null {
  const m = x0.length;
  const nth = thetaScale.length;
  const p = m - nth;
  const at = fromScaled(x0, thetaScale, betaRoot, true);
  // the last point a gradient was computed at, in z, and its run's deviance
  const lastZ = new Float64Array(m).fill(NaN);
  let lastDeviance: number | undefined;
  // the chain rule: ∂f/∂z_θ = s ∂f/∂θ, ∂f/∂z_β = C'∂f/∂β
  const gradZ = (z: Float64Array): Float64Array | null => {
    const x = at(z, new Float64Array(m));
    const g = gradient(x);
    lastZ.set(z);
    lastDeviance = g === null ? undefined : gradient.devianceAt(x);
    if (g === null) return null;
    const out = new Float64Array(m);
    for (let i = 0; i < nth; i++) out[i] = thetaScale[i] * g[i];
    for (let b = 0; b < p; b++) {
      let s = 0;
      for (let a = b; a < p; a++) s += betaRoot[a * p + b] * g[nth + a];
      out[nth + b] = s;
    }
    return out;
  };
  const z0 = new Float64Array(m);
  for (let i = 0; i < nth; i++) z0[i] = x0[i] / thetaScale[i];
  // BFGS asks for the start's gradient first: this one serves
  let g0 = gradZ(z0);
  if (g0 === null || lastDeviance === undefined) return null;
  const f0 = f(x0);
  // f = the gradient run's deviance + aic's constant
  const constant = f0 - lastDeviance;
  const point = new Float64Array(m);
  const fz = (z: Float64Array): number =>
    lastDeviance !== undefined && z.every((v, i) => v === lastZ[i]) ? lastDeviance + constant : f(at(z, point));
  const gradOnce = (z: Float64Array): Float64Array | null => {
    const g = g0 !== null && z.every((v, i) => v === z0[i]) ? g0 : gradZ(z);
    g0 = null;
    return g;
  };
  const r = newton(fz, z0, zLower(lower, nth, m), new Float64Array(m).fill(Infinity), { gradient: gradOnce, thetaLength: nth, maxEvaluations: 100 * m });
  const x = at(r.x, new Float64Array(m));
  return { ...r, x, fx: f(x), name: 'newton' };
}

/** x at z: θ = θ₀ + s·z (or s·z with `thetaFromZero`), β = β₀ + C z_β (C lower triangular, row-major). */
function fromScaled(x0: Float64Array, thetaScale: Float64Array, betaRoot: Float64Array, thetaFromZero: boolean) {
  const nth = thetaScale.length;
  const p = x0.length - nth;
  return (z: ArrayLike<number>, out: Float64Array): Float64Array => {
    for (let i = 0; i < nth; i++) out[i] = (thetaFromZero ? 0 : x0[i]) + thetaScale[i] * z[i];
    for (let a = 0; a < p; a++) {
      let s = x0[nth + a];
      for (let b = 0; b <= a; b++) s += betaRoot[a * p + b] * z[nth + b];
      out[nth + a] = s;
    }
    return out;
  };
}

/** BFGS's z bounds: 0 for a diagonal θ (θ = s·z), none for the rest. */
function zLower(lower: Float64Array, nth: number, m: number): Float64Array {
  const out = new Float64Array(m).fill(-Infinity);
  for (let i = 0; i < nth; i++) if (lower[i] === 0) out[i] = 0;
  return out;
}
