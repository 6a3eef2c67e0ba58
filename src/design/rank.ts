/**
 * Rank-deficient fixed-effects matrices: R's pivoted QR (tol 1e-7) finds the aliased columns; lm keeps
 * them as NA coefficients, lme4 drops them with a message.
 */
import { qrDecompose, QR_TOLERANCE } from '../wasm/qr.js';
import type { ModelMatrix } from './model-matrix.js';
import { columnMajor } from './model-matrix.js';

/** Which columns of X are kept (in original order) and which are aliased. */
export interface RankCheck {
  readonly rank: number;
  readonly kept: number[];
  readonly dropped: number[];
}

/**
 * The columns R's qr(X) keeps: pivot[0..rank−1], sorted back into their original order. `Xc` is X
 * column-major when the caller already has it (read, not changed).
 */
export function checkRank(X: ModelMatrix, tol = QR_TOLERANCE, Xc?: Float64Array): RankCheck {
  const p = X.columns.length;
  if (p === 0) return { rank: 0, kept: [], dropped: [] };
  const qr = qrDecompose(Xc ?? columnMajor(X), X.n, p, tol);
  const kept = Array.from(qr.pivot.subarray(0, qr.rank)).sort((a, b) => a - b);
  const dropped = Array.from(qr.pivot.subarray(qr.rank));
  return { rank: qr.rank, kept, dropped };
}

/** lme4's message for dropped columns. */
export function rankDeficiencyMessage(dropped: number): string {
  const s = dropped === 1 ? '' : 's';
  return `fixed-effect model matrix is rank deficient so dropping ${dropped} column${s} / coefficient${s}`;
}
