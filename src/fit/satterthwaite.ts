/**
 * Satterthwaite's degrees of freedom for t and F tests of fixed effects in a linear mixed model, computed
 * the way lmerTest does (Kuznetsova, Brockhoff & Christensen 2017, J. Stat. Softw. 82(13), section 3):
 *
 * - variance parameters φ = (θ, σ); D(φ) the deviance (ML or REML) with β profiled out;
 * - A = 2·H⁺, H the Hessian of D at φ̂ (numerical, Richardson), pseudo-inverted over eigenvalues > tol;
 * - C(φ) = Var(β̂) = σ²(R_X'R_X)⁻¹ and its Jacobian J_k = ∂C/∂φ_k at φ̂;
 * - for a contrast l: v = l'Cl, g_k = l'J_k l, df = 2v²/(g'Ag);
 * - for a q-row hypothesis L: eigen-decompose LCL', ν_m = 2d_m²/(g_m'Ag_m), df from E = Σ ν_m/(ν_m − 2).
 */
import { hessian, jacobian } from './richardson.js';
import { symmetricEigen } from '../linalg/eigen.js';
import { inverseFromLowerFactor } from '../linalg/factor-inverse.js';
import { pTwoSidedT, pUpperF } from '../stats/distributions.js';
import type { DevianceParts } from '../wasm/mixed-engine.js';
import { devianceAtSigma } from './deviance.js';

/** What Satterthwaite's method needs from a fitted model: deviance parts and R_X at any θ. */
export interface VarianceParameterSource {
  readonly n: number;
  readonly p: number;
  readonly reml: boolean;
  /** Deviance parts and R_X' (lower, row-major p×p) at θ, together; null where the factorization fails. */
  factorAt(theta: ArrayLike<number>): { parts: DevianceParts; fixedFactor: Float64Array } | null;
  /**
   * The same with the exact derivatives in θ of the log-determinant part and of r² (lmer-state's
   * ThetaDerivatives); null where unavailable. Used for the Hessian of models with many parameters.
   */
  derivativesAt?(theta: ArrayLike<number>, reml: boolean): {
    parts: DevianceParts; fixedFactor: Float64Array; logDet: Float64Array; pwrss: Float64Array;
  } | null;
}

/** The pieces every Satterthwaite test reuses (lmerTest's vcov_beta, vcov_varpar, Jac_list). */
export interface SatterthwaiteBasis {
  /** Var(β̂) at the optimum (p×p row-major). */
  readonly vcovBeta: Float64Array;
  /** A = 2·H⁺: asymptotic covariance of (θ, σ) (m×m row-major, m = length(θ) + 1). */
  readonly vcovVarpar: Float64Array;
  /** ∂Var(β̂)/∂φ_k at the optimum, one p×p matrix per variance parameter. */
  readonly jacobian: readonly Float64Array[];
  /** lmerTest's warnings about the Hessian (negative or near-zero eigenvalues). */
  readonly warnings: readonly string[];
}

/** One t test of a contrast l'β. */
export interface ContrastTest {
  estimate: number;
  se: number;
  df: number;
  t: number;
  p: number;
}

/** One F test of Lβ = 0 (lmerTest's contestMD row). */
export interface FTest {
  /** Sum of squares F·σ²·q and mean square F·σ², as lmerTest prints them. */
  sumSq: number;
  meanSq: number;
  numDf: number;
  denDf: number;
  F: number;
  p: number;
}

/**
 * From this many variance parameters on, the Hessian of D(θ, σ) is the Jacobian of its exact gradient
 * (2m gradients, each a few factorizations' work) rather than lmerTest's Richardson Hessian of D itself
 * (about 4m² factorizations: 21,000 for kb07's 73 parameters). Below it, lmerTest's own method.
 */
export const EXACT_HESSIAN_FROM = 16;

/**
 * Richardson levels of that Jacobian: one. Central differences of an exact gradient with steps 1e-4·θ err
 * by O(h²), about 1e-9 relative, far below the digits printed (test/satterthwaite-exact checks the df to
 * 1e-6 against lmerTest's method); their θ are the first level of the Jacobian of Var(β̂), whose
 * factorizations they share.
 */
const EXACT_HESSIAN_LEVELS = 1;

/** lmerTest's tolerance for zero eigenvalues of the Hessian. */
const EIGEN_TOL = 1e-8;

/** x'Ax for a row-major square A. */
export function quadraticForm(x: ArrayLike<number>, A: Float64Array): number {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let j = 0; j < n; j++) r += A[i * n + j] * x[j];
    s += x[i] * r;
  }
  return s;
}

function formatE(x: number): string {
  // R's sprintf("%1.1e", x): one decimal, two-digit exponent at least
  const [m, e] = x.toExponential(1).split('e');
  const exp = Number(e);
  return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/**
 * Computes lmerTest's Satterthwaite basis at the optimum (θ̂, σ̂).
 */
export function satterthwaiteBasis(
  model: VarianceParameterSource,
  theta: ArrayLike<number>,
  sigma: number,
  exactHessianFrom = EXACT_HESSIAN_FROM,
): SatterthwaiteBasis {
  const { n, p, reml } = model;
  const m = theta.length + 1;
  // Computed in units of σ̂ (σ' = σ/σ̂ = 1 at the optimum): the df do not depend on the unit of y, but
  // lmerTest's raw-scale Hessian does, through its absolute eigenvalue tolerance (H_σσ ≈ 2n/σ²): y in
  // units 1e6 times larger gives lmerTest df 870841.8 instead of 53.24219, 1e±150 gives NaN.
  const unit = sigma > 0 && Number.isFinite(sigma) ? sigma : 1;
  const varpar = Float64Array.from([...Array.from(theta), sigma / unit]);
  // One factorization per distinct θ: the Hessian's σ steps and its (θ_i, σ) cross steps revisit the θ
  // of a diagonal step, and the Jacobian's σ steps the optimum's (InstEval: 108 → 74 factorizations, 5.3 → 3.7 s).
  type AtTheta = { parts: DevianceParts; covUnscaled: Float64Array; logDet?: Float64Array; dPwrss?: Float64Array };
  const atTheta = new Map<string, AtTheta | null>();
  const factored = (th: Float64Array, derivatives = false): AtTheta | null => {
    const key = th.join(',');
    let hit = atTheta.get(key);
    if (hit === undefined || (derivatives && hit !== null && hit.logDet === undefined)) {
      const d = derivatives ? model.derivativesAt!(th, reml) : null;
      const at = d ?? model.factorAt(th);
      // r² (and its derivatives) in units of σ̂², as σ' is
      hit = at && {
        parts: { ...at.parts, pwrss: at.parts.pwrss / (unit * unit) },
        covUnscaled: inverseFromLowerFactor(at.fixedFactor, p),
        ...(d ? { logDet: d.logDet, dPwrss: d.pwrss.map((v) => v / (unit * unit)) } : {}),
      };
      atTheta.set(key, hit);
    }
    return hit;
  };
  // D(θ, σ): the deviance with β at its conditional optimum (lmerTest's devfun_vp)
  const devVarpar = (vp: Float64Array): number => {
    const at = factored(vp.subarray(0, m - 1));
    if (at === null) return NaN;
    return devianceAtSigma(at.parts, n, vp[m - 1], reml, p);
  };
  // C(θ, σ) = σ²(R_X'R_X)⁻¹ (lmerTest's get_covbeta)
  const covBeta = (vp: Float64Array): Float64Array => {
    const at = factored(vp.subarray(0, m - 1));
    if (at === null) return new Float64Array(p * p).fill(NaN);
    const s2 = vp[m - 1] * vp[m - 1];
    return at.covUnscaled.map((v) => v * s2);
  };

  // ∇D(θ, σ) = (∂logdet/∂θ + (∂r²/∂θ)/σ², 2(n−p·REML)/σ − 2r²/σ³), the exact gradient of devVarpar
  const gradVarpar = (vp: Float64Array): Float64Array => {
    const at = factored(vp.subarray(0, m - 1), true);
    if (at === null || at.logDet === undefined) return new Float64Array(m).fill(NaN);
    const s = vp[m - 1];
    const nmp = reml ? n - p : n;
    const g = new Float64Array(m);
    for (let k = 0; k < m - 1; k++) g[k] = at.logDet[k] + at.dPwrss![k] / (s * s);
    g[m - 1] = (2 * nmp) / s - (2 * at.parts.pwrss) / (s * s * s);
    return g;
  };
  const exact = m >= exactHessianFrom && model.derivativesAt !== undefined && factored(varpar.subarray(0, m - 1), true)?.logDet !== undefined;
  const H = exact ? symmetricJacobian(gradVarpar, varpar) : hessian(devVarpar, varpar);
  const { values, vectors } = symmetricEigen(H, m);
  const warnings: string[] = [];
  const neg = Array.from(values).filter((v) => v < -EIGEN_TOL);
  const zero = Array.from(values).filter((v) => v > -EIGEN_TOL && v < EIGEN_TOL);
  if (neg.length > 0) {
    warnings.push(
      `Model failed to converge with ${neg.length} negative eigenvalue${neg.length > 1 ? 's' : ''}: ` +
        neg.map(formatE).join(' '),
    );
  }
  if (zero.length > 0) {
    warnings.push(
      `Model may not have converged with ${zero.length} eigenvalue${zero.length > 1 ? 's' : ''} close to zero: ` +
        zero.map(formatE).join(' '),
    );
  }
  const A = new Float64Array(m * m);
  for (let k = 0; k < m; k++) {
    if (!(values[k] > EIGEN_TOL)) continue;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) A[i * m + j] += (2 * vectors[i * m + k] * vectors[j * m + k]) / values[k];
    }
  }
  // back to the units of y: C = unit²·C', ∂C/∂θ = unit²·∂C'/∂θ, ∂C/∂σ = unit·∂C'/∂σ', A_σ· = unit·A'_σ'·
  const u2 = unit * unit;
  const jac = jacobian(covBeta, varpar).map((J, k) => J.map((v) => v * (k === m - 1 ? unit : u2)));
  const vcovBeta = covBeta(varpar).map((v) => v * u2);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) A[i * m + j] *= (i === m - 1 ? unit : 1) * (j === m - 1 ? unit : 1);
  }
  return { vcovBeta, vcovVarpar: A, jacobian: jac, warnings };
}

/** The Hessian as the Jacobian of an exact gradient, symmetrized ((J + J')/2, row-major). */
function symmetricJacobian(grad: (x: Float64Array) => Float64Array, x: Float64Array): Float64Array {
  const m = x.length;
  const columns = jacobian(grad, x, { r: EXACT_HESSIAN_LEVELS });
  const H = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) H[i * m + k] = (columns[k][i] + columns[i][k]) / 2;
  }
  return H;
}

/**
 * df = 2v²/(g'Ag) for a variance v with gradient g over the variance parameters. Computed as lmerTest
 * writes it; where v² or g'Ag leave the double range (a response on the scale 1e±150) as 2/((g/v)'A(g/v)).
 */
function satterthwaiteDf(v: number, g: number[], A: Float64Array): number {
  const direct = (2 * v * v) / quadraticForm(g, A);
  if (Number.isFinite(direct) && v * v > 0) return direct;
  return 2 / quadraticForm(g.map((x) => x / v), A);
}

/** Satterthwaite df of the contrast l'β (lmerTest's contest1D). */
export function contrastDf(basis: SatterthwaiteBasis, l: ArrayLike<number>): number {
  const v = quadraticForm(l, basis.vcovBeta);
  const g = basis.jacobian.map((J) => quadraticForm(l, J));
  return satterthwaiteDf(v, g, basis.vcovVarpar);
}

/** t test of l'β = 0 with Satterthwaite df. */
export function contrastTest(basis: SatterthwaiteBasis, beta: ArrayLike<number>, l: ArrayLike<number>): ContrastTest {
  let estimate = 0;
  for (let i = 0; i < l.length; i++) estimate += l[i] * beta[i];
  const se = Math.sqrt(quadraticForm(l, basis.vcovBeta));
  const df = contrastDf(basis, l);
  const t = estimate / se;
  return { estimate, se, df, t, p: pTwoSidedT(t, df) };
}

/** lmerTest's combination of the per-direction df into the F test's denominator df. */
function combineDf(nu: number[]): number {
  if (nu.length === 1) return nu[0];
  if (nu.every((v, i) => i === 0 || Math.abs(v - nu[i - 1]) < 1e-8)) return nu.reduce((a, b) => a + b, 0) / nu.length;
  if (nu.some((v) => v <= 2)) return 2;
  const E = nu.reduce((acc, v) => acc + v / (v - 2), 0);
  return (2 * E) / (E - nu.length);
}

/**
 * F test of Lβ = 0 with Satterthwaite denominator df (lmerTest's contestMD). `L` has one row per
 * constraint (each of length p). `sigma` only scales the printed sums of squares.
 */
export function fTest(
  basis: SatterthwaiteBasis,
  beta: ArrayLike<number>,
  L: readonly ArrayLike<number>[],
  sigma: number,
): FTest {
  const p = beta.length;
  const table = (F: number, q: number, ddf: number): FTest => ({
    sumSq: F * sigma * sigma * q,
    meanSq: F * sigma * sigma,
    numDf: q,
    denDf: ddf,
    F,
    p: pUpperF(F, q, ddf),
  });
  if (L.length === 1) {
    const t = contrastTest(basis, beta, L[0]);
    return table(t.t * t.t, 1, t.df);
  }
  const q0 = L.length;
  // VLβ = L C L' and its eigen decomposition (descending)
  const V = new Float64Array(q0 * q0);
  for (let a = 0; a < q0; a++) {
    for (let b = 0; b < q0; b++) {
      let s = 0;
      for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) s += L[a][i] * basis.vcovBeta[i * p + j] * L[b][j];
      V[a * q0 + b] = s;
    }
  }
  const { values: d, vectors: P } = symmetricEigen(V, q0);
  const tol = Math.max(Math.sqrt(2.220446049250313e-16) * d[0], 0);
  const q = d.filter((v) => v > tol).length;
  if (q === 0) return table(NaN, 0, NaN);
  const PtL: Float64Array[] = [];
  for (let m = 0; m < q; m++) {
    const row = new Float64Array(p);
    for (let a = 0; a < q0; a++) for (let i = 0; i < p; i++) row[i] += P[a * q0 + m] * L[a][i];
    PtL.push(row);
  }
  if (q === 1) {
    const t = contrastTest(basis, beta, PtL[0]);
    return table(t.t * t.t, 1, t.df);
  }
  let t2 = 0;
  for (let m = 0; m < q; m++) {
    let e = 0;
    for (let i = 0; i < p; i++) e += PtL[m][i] * beta[i];
    t2 += (e * e) / d[m];
  }
  const nu = PtL.map((row, m) => {
    const g = basis.jacobian.map((J) => quadraticForm(row, J));
    return satterthwaiteDf(d[m], g, basis.vcovVarpar);
  });
  return table(t2 / q, q, combineDf(nu));
}
