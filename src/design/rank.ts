/**
 * Rank-deficient fixed-effects matrices: R's pivoted QR (tol 1e-7) finds the aliased columns; lm keeps
 * them as NA coefficients, lme4 drops them with a message.
 */
import { qrDecompose, QR_TOLERANCE } from '../wasm/qr.js';
import { choleskyLower, solveLower } from '../linalg/symmetric.js';
import type { ModelMatrix } from './model-matrix.js';
import { columnMajor } from './model-matrix.js';

/** Which columns of X are kept (in original order) and which are aliased. */
export interface RankCheck {
  readonly rank: number;
  readonly kept: number[];
  readonly dropped: number[];
}

/** Most columns the Gram-matrix certificate is tried on (its pairwise products cost p²n/2 in JavaScript). */
const CERTIFY_MAX_COLUMNS = 16;
/**
 * Largest ‖A⁻¹‖ (A: the Gram matrix of X's columns scaled to unit length) the certificate accepts: then every
 * column keeps at least √(1/1e4) = 1e-2 of its length outside the span of the others, 1e5 times R's tolerance.
 */
const CERTIFY_MAX_INVERSE_NORM = 1e4;

/**
 * Whether R's pivoted QR (dqrdc2) certainly keeps every column of X, in order, without running it. dqrdc2
 * moves column j aside only when its norm left after the earlier columns falls below tol times its own norm;
 * that share is at least σ_min of the column-scaled X, and σ_min² = 1/‖A⁻¹‖₂ ≥ 1/‖L⁻¹‖_F² (A = LLᵀ). Rounding moves
 * A by at most about n·p·ε in norm (the dot products) and the QR's own shares by about n·p·ε: far below
 * the margin between 1e-2 and 1e-7, so a pass here is a pass there; anything closer goes to the QR.
 */
function clearlyFullRank(X: ModelMatrix): boolean {
  const { n } = X;
  const p = X.columns.length;
  if (p > CERTIFY_MAX_COLUMNS || p >= n) return false;
  const norm = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const x = X.columns[j];
    let s = 0;
    for (let r = 0; r < n; r++) s += x[r] * x[r];
    // far from overflow and underflow of the squares, or the scaled products lose their meaning
    if (!(s > 1e-280 && s < 1e280)) return false;
    norm[j] = Math.sqrt(s);
  }
  const A = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    A[a * p + a] = 1;
    for (let b = 0; b < a; b++) {
      const xa = X.columns[a];
      const xb = X.columns[b];
      let s = 0;
      for (let r = 0; r < n; r++) s += xa[r] * xb[r];
      A[a * p + b] = A[b * p + a] = s / norm[a] / norm[b];
    }
  }
  const L = choleskyLower(A, p);
  if (!L) return false;
  // ‖A⁻¹‖₂ ≤ ‖L⁻¹‖_F², L⁻¹ column by column
  let f = 0;
  const e = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    e.fill(0);
    e[j] = 1;
    for (const v of solveLower(L, p, e)) f += v * v;
  }
  return f <= CERTIFY_MAX_INVERSE_NORM;
}

/** The columns R's qr(X) keeps: pivot[0..rank−1], sorted back into their original order. */
export function checkRank(X: ModelMatrix, tol = QR_TOLERANCE): RankCheck {
  const p = X.columns.length;
  if (p === 0) return { rank: 0, kept: [], dropped: [] };
  // the usual case, a well-conditioned X, needs no copy of X and no QR
  if (tol <= QR_TOLERANCE && clearlyFullRank(X)) return { rank: p, kept: Array.from({ length: p }, (_, j) => j), dropped: [] };
  const qr = qrDecompose(columnMajor(X), X.n, p, tol);
  const kept = Array.from(qr.pivot.subarray(0, qr.rank)).sort((a, b) => a - b);
  const dropped = Array.from(qr.pivot.subarray(qr.rank));
  return { rank: qr.rank, kept, dropped };
}

/** lme4's message for dropped columns. */
export function rankDeficiencyMessage(dropped: number): string {
  const s = dropped === 1 ? '' : 's';
  return `fixed-effect model matrix is rank deficient so dropping ${dropped} column${s} / coefficient${s}`;
}
