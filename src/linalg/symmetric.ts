/**
 * Small dense symmetric-matrix helpers (row-major n×n, n up to a few dozen): the Cholesky factor,
 * solves with it, and the eigenvalues. Used by the convergence checks on the finite-difference Hessian
 * of the deviance in θ, and wherever a small positive definite system has to be solved.
 */
import { symmetricEigen } from './eigen.js';

/**
 * Lower Cholesky factor L (row-major, zeros above the diagonal) with L·Lᵀ = A, reading only the lower
 * triangle of A. Returns null when a pivot is not positive or not a number, the case in which LAPACK's
 * dpotrf (R's `chol`) reports "the leading minor of order k is not positive".
 */
export function choleskyLower(A: ArrayLike<number>, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = A[j * n + j];
    for (let k = 0; k < j; k++) d -= L[j * n + k] * L[j * n + k];
    if (!(d > 0)) return null;
    const ljj = Math.sqrt(d);
    L[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = A[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = s / ljj;
    }
  }
  return L;
}

/** Solves L·x = b for lower-triangular L (row-major n×n) by forward substitution. */
export function solveLower(L: ArrayLike<number>, n: number, b: ArrayLike<number>): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * x[k];
    x[i] = s / L[i * n + i];
  }
  return x;
}

/**
 * Solves Lᵀ·x = b for lower-triangular L (row-major n×n) by back substitution. With L from
 * `choleskyLower(A)`, Lᵀ is R's `chol(A)`, so this is R's `solve(chol(A), b)`.
 */
export function solveLowerTransposed(L: ArrayLike<number>, n: number, b: ArrayLike<number>): Float64Array {
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * x[k];
    x[i] = s / L[i * n + i];
  }
  return x;
}

/**
 * Reciprocal condition number in the 1-norm of R = Lᵀ (L lower triangular, row-major n×n):
 * 1 / (‖R‖₁·‖R⁻¹‖₁), computed exactly (LAPACK's dgecon, which R's `solve` consults, estimates the same
 * number; for small triangular matrices the estimate is as a rule exact). R's `solve(R, b)` refuses
 * ("system is computationally singular") when this is below 2.220446e-16; it is 0 when L has an
 * infinite entry.
 */
export function choleskyReciprocalCondition(L: ArrayLike<number>, n: number): number {
  // ‖Lᵀ‖₁ = ‖L‖∞ and ‖(Lᵀ)⁻¹‖₁ = ‖L⁻¹‖∞: largest absolute row sums
  let normR = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k <= i; k++) s += Math.abs(L[i * n + k]);
    normR = Math.max(normR, s);
  }
  const inverse = new Float64Array(n * n);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e.fill(0);
    e[j] = 1;
    const col = solveLower(L, n, e);
    for (let i = 0; i < n; i++) inverse[i * n + j] = col[i];
  }
  let normInv = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += Math.abs(inverse[i * n + k]);
    normInv = Math.max(normInv, s);
  }
  if (normR === Infinity || normInv === Infinity) return 0;
  return 1 / normR / normInv;
}

/**
 * Eigenvalues of the symmetric row-major n×n matrix A in decreasing order, as R's
 * `eigen(A, symmetric = TRUE, only.values = TRUE)$values` (cyclic Jacobi: accurate to a few ulps of the
 * largest eigenvalue). The entries must be finite (R's `eigen` refuses other matrices; check first).
 */
export function symmetricEigenvalues(A: ArrayLike<number>, n: number): Float64Array {
  if (n === 1) return Float64Array.of(A[0]);
  return symmetricEigen(A, n).values;
}

/**
 * Entry (i, j) of R's cov2cor(S) for a row-major p×p covariance: S_ij / (√S_ii·√S_jj), not √(S_ii·S_jj),
 * which overflows for variances past 1e154 (a response on the scale 1e150); NaN where a variance is 0.
 */
export function correlationAt(S: ArrayLike<number>, p: number, i: number, j: number): number {
  const denom = Math.sqrt(S[i * p + i]) * Math.sqrt(S[j * p + j]);
  return denom > 0 ? S[i * p + j] / denom : NaN;
}

/** Whether every entry is a finite number. */
export function allFinite(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}
