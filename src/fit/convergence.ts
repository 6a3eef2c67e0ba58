/**
 * lme4's convergence checks after the optimizer stops (lme4's checkConv with lmerControl's defaults):
 * finite-difference gradient and Hessian of the profiled deviance at θ̂ (central differences, step 1e-4,
 * as lme4's deriv12), the singular-fit message, the scaled-gradient test (tol 0.002) and the Hessian
 * eigenvalue tests (tol 1e-6).
 */
import { symmetricEigen } from '../linalg/eigen.js';

/** What the checks found. */
export interface ConvergenceReport {
  /** Finite-difference gradient of the deviance at θ̂. */
  gradient: Float64Array;
  /** Finite-difference Hessian (row-major). */
  hessian: Float64Array;
  /** Some diagonal θ below 1e-4: a boundary (singular) fit. */
  singular: boolean;
  /** lme4's messages ("boundary (singular) fit: see help('isSingular')"). */
  messages: string[];
  /** lme4's warnings ("Model failed to converge with max|grad| = …"). */
  warnings: string[];
  /** lme4's @optinfo$conv$lme4$code (null when there is nothing to report). */
  code: number | null;
}

/** lme4's isSingular tolerance and gradient / Hessian tolerances (lmerControl defaults). */
export const SINGULAR_TOL = 1e-4;
export const GRADIENT_TOL = 0.002;
export const HESSIAN_TOL = 1e-6;
export const SINGULAR_MESSAGE = "boundary (singular) fit: see help('isSingular')";

/** Central-difference gradient and Hessian with step δ (lme4's deriv12 without bounds, as lme4 calls it). */
export function finiteDifferences(
  f: (x: Float64Array) => number,
  x: ArrayLike<number>,
  fx: number,
  delta = 1e-4,
): { gradient: Float64Array; hessian: Float64Array } {
  const n = x.length;
  const at = (changes: [number, number][]): number => {
    const y = Float64Array.from(x);
    for (const [i, d] of changes) y[i] += d;
    return f(y);
  };
  const g = new Float64Array(n);
  const H = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const fadd = at([[j, delta]]);
    const fsub = at([[j, -delta]]);
    H[j * n + j] = (fadd - 2 * fx + fsub) / (delta * delta);
    g[j] = (fadd - fsub) / (2 * delta);
    for (let i = 0; i < j; i++) {
      const v =
        (at([[i, delta], [j, delta]]) - at([[i, delta], [j, -delta]]) - at([[i, -delta], [j, delta]]) +
          at([[i, -delta], [j, -delta]])) /
        (4 * delta * delta);
      H[i * n + j] = v;
      H[j * n + i] = v;
    }
  }
  return { gradient: g, hessian: H };
}

/** R's %g format (6 significant digits, trailing zeros dropped). */
export function formatG(x: number): string {
  if (x === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(x)));
  if (exp < -4 || exp >= 6) {
    const [m, e] = x.toExponential(5).split('e');
    const mant = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
    const ev = Number(e);
    return `${mant}e${ev < 0 ? '-' : '+'}${String(Math.abs(ev)).padStart(2, '0')}`;
  }
  const s = x.toPrecision(6);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** Cholesky solve of the scaled gradient solve(chol(H), g) = R⁻ᵀ... as R computes it; null if H is not PD. */
function scaledGradient(H: Float64Array, g: Float64Array): Float64Array | null {
  const n = g.length;
  // R: chol(H) = upper R with R'R = H; solve(R, g) solves R x = g
  const L = new Float64Array(n * n); // lower = R'
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = H[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > 0)) return null;
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j];
    }
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = g[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * x[k];
    x[i] = s / L[i * n + i];
  }
  return x;
}

/** lme4's checkHess on the Hessian of the deviance in θ. */
function checkHessian(H: Float64Array, n: number, tol: number): { code: number[]; messages: string[] } {
  const values = Array.from(symmetricEigen(H, n).values);
  if (values.some((v) => !Number.isFinite(v))) {
    return { code: [-6], messages: ['Problem with Hessian check (infinite or missing values?)'] };
  }
  const negative = values.filter((v) => v < -tol).length;
  if (negative > 0) {
    return { code: [-3], messages: [`Model failed to converge: degenerate  Hessian with ${negative} negative eigenvalues`] };
  }
  const zero = values.filter((v) => Math.abs(v) < tol).length;
  if (zero > 0 || scaledGradient(H, new Float64Array(n)) === null) {
    return { code: [-4], messages: [' Hessian is numerically singular: parameters are not uniquely determined'] };
  }
  const code: number[] = [];
  const messages: string[] = [];
  const max = Math.max(...values);
  const min = Math.min(...values);
  if (max * tol > 1) {
    code.push(2);
    messages.push('Model is nearly unidentifiable: very large eigenvalue\n - Rescale variables?');
  }
  if (min / max < tol) {
    code.push(3);
    messages.push('Model is nearly unidentifiable: large eigenvalue ratio\n - Rescale variables?');
  }
  return { code, messages };
}

/**
 * lme4's checks at the optimum θ̂ with deviance fx. `lower` marks the diagonal elements (bound 0).
 * For singular fits lme4 stops after the message (no gradient or Hessian test), and so do we.
 */
export function checkConvergence(
  f: (x: Float64Array) => number,
  theta: ArrayLike<number>,
  lower: ArrayLike<number>,
  fx: number,
): ConvergenceReport {
  const { gradient, hessian } = finiteDifferences(f, theta, fx);
  const n = theta.length;
  const report: ConvergenceReport = { gradient, hessian, singular: false, messages: [], warnings: [], code: null };
  for (let i = 0; i < n; i++) if (lower[i] === 0 && theta[i] < SINGULAR_TOL) report.singular = true;
  if (report.singular) {
    report.messages.push(SINGULAR_MESSAGE);
    return report;
  }
  if (Array.from(gradient).some((g) => Number.isNaN(g))) {
    report.code = -5;
    report.warnings.push('Gradient contains NAs');
    return report;
  }
  const sc = scaledGradient(hessian, gradient);
  if (sc === null || Array.from(sc).some((v) => Number.isNaN(v))) {
    report.code = -1;
    report.warnings.push('unable to evaluate scaled gradient');
  } else {
    let maxmin = 0;
    for (let i = 0; i < n; i++) maxmin = Math.max(maxmin, Math.min(Math.abs(sc[i]), Math.abs(gradient[i])));
    if (maxmin > GRADIENT_TOL) {
      report.code = -1;
      // lme4 reports which.max() of a single number, i.e. always component 1
      report.warnings.push(`Model failed to converge with max|grad| = ${formatG(maxmin)} (tol = ${formatG(GRADIENT_TOL)}, component 1)`);
    }
  }
  const hess = checkHessian(hessian, n, HESSIAN_TOL);
  if (hess.code.some((c) => c !== 0)) {
    report.code = hess.code[hess.code.length - 1];
    report.warnings.push(hess.messages.join(';'));
  }
  return report;
}
