/**
 * Least squares by Householder QR with R's limited column pivoting, computed in the WebAssembly engine.
 * Used by `lm` and by the rank check of the fixed-effects matrix (R's `qr(X)`, tol = 1e-7, as lme4 uses it).
 */
import { ResourceError } from '../errors.js';
import { MAX_MEMORY_BYTES, type WasmInstance } from './instance.js';
import { acquireInstance, largestIdleBytes, releaseInstance } from './instance-pool.js';

/** QR of an n×p matrix with R's column pivoting. */
export interface QrDecomposition {
  readonly n: number;
  readonly p: number;
  /** Numerical rank: columns pivot[0..rank-1] are kept, the rest are aliased. */
  readonly rank: number;
  /** Column order after pivoting (0-based original indices). */
  readonly pivot: Int32Array;
  /** The leading rank×rank upper-triangular R (row-major), in pivoted column order. */
  readonly R: Float64Array;
}

/** Least-squares solution of y ≈ Xβ. */
export interface LeastSquares extends QrDecomposition {
  /** β in the original column order; NaN for aliased columns. */
  readonly coefficients: Float64Array;
  readonly fitted: Float64Array;
  readonly residuals: Float64Array;
}

/** R's default tolerance for `qr()` and `lm()`. */
export const QR_TOLERANCE = 1e-7;

// Each QR takes an instance from the pool (instance-pool.ts) and gives it back: the next model's engine
// then starts on memory the QR already touched, and a large problem's instance is left to the collector.

/** Bytes the engine allocates for a QR least-squares problem of n×p (X, y, qraux, pivots, work, β). */
export function qrBytes(n: number, p: number): number {
  return 8 * (n * p + n + 4 * p + 1) + 4 * p + 64 * 1024;
}

function withInstance<T>(n: number, p: number, f: (w: WasmInstance) => T): T {
  const need = qrBytes(n, p);
  if (need > MAX_MEMORY_BYTES) {
    throw new ResourceError(
      `the least-squares problem (${n} rows × ${p} columns) needs about ${need} bytes (${(need / 2 ** 30).toFixed(1)} GiB) ` +
        `of WebAssembly memory; a wasm32 engine addresses at most ${MAX_MEMORY_BYTES} bytes: use fewer rows or columns`,
      need,
    );
  }
  const w = acquireInstance(need);
  try {
    return f(w);
  } finally {
    releaseInstance(w);
  }
}

function decompose(
  w: WasmInstance,
  X: Float64Array,
  n: number,
  p: number,
  tol: number,
): { xPtr: number; qrauxPtr: number; rank: number; pivot: Int32Array; R: Float64Array } {
  const xPtr = w.allocF64(n * p);
  const qrauxPtr = w.allocF64(p);
  const pivotPtr = w.allocI32(p);
  const workPtr = w.allocF64(2 * p);
  w.f64(xPtr, n * p).set(X);
  const rank = w.exports.qrDecompose(xPtr, n, p, tol, qrauxPtr, pivotPtr, workPtr);
  const pivot = w.i32(pivotPtr, p).slice();
  const factored = w.f64(xPtr, n * p);
  const R = new Float64Array(rank * rank);
  for (let i = 0; i < rank; i++) for (let j = i; j < rank; j++) R[i * rank + j] = factored[j * n + i];
  return { xPtr, qrauxPtr, rank, pivot, R };
}

/** QR of X (n×p, column-major) with R's limited pivoting: rank, pivot and R. */
export function qrDecompose(X: Float64Array, n: number, p: number, tol = QR_TOLERANCE): QrDecomposition {
  return withInstance(n, p, (w) => {
    const { rank, pivot, R } = decompose(w, X, n, p, tol);
    return { n, p, rank, pivot, R };
  });
}

/** Least squares y ≈ Xβ (X n×p column-major) as R's lm.fit computes it. */
export function leastSquares(X: Float64Array, n: number, p: number, y: Float64Array, tol = QR_TOLERANCE): LeastSquares {
  return withInstance(n, p, (w) => solve(w, X, n, p, y, tol));
}

function solve(w: WasmInstance, X: Float64Array, n: number, p: number, y: Float64Array, tol: number): LeastSquares {
  const { xPtr, qrauxPtr, rank, pivot, R } = decompose(w, X, n, p, tol);
  const yPtr = w.allocF64(n);
  w.f64(yPtr, n).set(y);
  w.exports.qrQty(xPtr, n, rank, qrauxPtr, yPtr);
  const bPtr = w.allocF64(Math.max(rank, 1));
  w.exports.qrSolveR(xPtr, n, rank, yPtr, bPtr);
  const bPivoted = w.f64(bPtr, rank);
  const coefficients = new Float64Array(p).fill(NaN);
  for (let i = 0; i < rank; i++) coefficients[pivot[i]] = bPivoted[i];
  const fitted = new Float64Array(n);
  for (let j = 0; j < p; j++) {
    const beta = coefficients[j];
    if (Number.isNaN(beta)) continue;
    for (let r = 0; r < n; r++) fitted[r] += X[j * n + r] * beta;
  }
  const residuals = new Float64Array(n);
  for (let r = 0; r < n; r++) residuals[r] = y[r] - fitted[r];
  return { n, p, rank, pivot, R, coefficients, fitted, residuals };
}

/** Bytes of WebAssembly memory the largest idle instance holds between calls (for tests of the QR's release). */
export function heldQrBytes(): number {
  return largestIdleBytes();
}
