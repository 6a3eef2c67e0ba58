// The one pass over the n observations: accumulates the blocks of A = [Z X y]'[Z X y] in the layout of
// model.ts. After this, no evaluation of the deviance touches the observations again.

import { getF, getI, setF, setI } from './memory';
import {
  nObs, nFixed, nTerms, nChain, nDense, qDense, xPtr, yPtr, addPtr, scratchPtr,
  tf, pf, T_P, T_Z, T_ADIAG, T_ROWPTR, T_ROWS, T_AD, T_DOFF, T_CODES,
  P_APAR,
} from './model';

/** Adds one observation's contribution v·z' to the p_j-wide row at `row`. */
// @ts-ignore: decorator
@inline function addScaledRow(row: usize, v: f64, z: usize, pj: i32): void {
  for (let b = 0; b < pj; b++) setF(row, b, getF(row, b) + v * getF(z, b));
}

/**
 * Position of dense row d in a level's sorted row list rows[lo, hi) (d is in it: the level meets it).
 */
// @ts-ignore: decorator
@inline function findRow(rows: usize, lo: i32, hi: i32, d: i32): i32 {
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (getI(rows, mid) <= d) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Accumulates the blocks of chain term j: Z_j'Z_j per level, Z_i'Z_j for later chain terms i, and
 * the dense rows [Z_dense X y]'Z_j per level. The observations are read in their order (a level's rows
 * are scattered over them: reading them level by level costs a cache miss per array and row on large
 * data); every block still receives its level's rows in increasing order, so the sums are the same. */
export function setupChainTerm(j: i32): void {
  const pj = tf(j, T_P);
  const zj = <usize>tf(j, T_Z);
  const codesJ = <usize>tf(j, T_CODES);
  const adiag = <usize>tf(j, T_ADIAG);
  const rowPtr = <usize>tf(j, T_ROWPTR);
  const rows = <usize>tf(j, T_ROWS);
  const ad = <usize>tf(j, T_AD);
  const n = nObs;
  for (let r = 0; r < n; r++) {
    const c = getI(codesJ, r);
    const z = zj + ((<usize>r * <usize>pj) << 3);
    const blk = adiag + ((<usize>c * <usize>(pj * pj)) << 3);
    for (let a = 0; a < pj; a++) addScaledRow(blk + ((<usize>(a * pj)) << 3), getF(z, a), z, pj);
    for (let i = j + 1; i < nChain; i++) {
      const pi = tf(i, T_P);
      const zi = <usize>tf(i, T_Z) + ((<usize>r * <usize>pi) << 3);
      const apar = <usize>pf(i, j, P_APAR) + ((<usize>c * <usize>(pi * pj)) << 3);
      for (let a = 0; a < pi; a++) addScaledRow(apar + ((<usize>(a * pj)) << 3), getF(zi, a), z, pj);
    }
    // the level's list: its dense terms' rows (sorted), then X's p rows and y's (always last)
    const lo = getI(rowPtr, c);
    const fixed0 = getI(rowPtr, c + 1) - nFixed - 1;
    for (let t = nChain; t < nTerms; t++) {
      const pt = tf(t, T_P);
      const base = tf(t, T_DOFF) + getI(<usize>tf(t, T_CODES), r) * pt;
      const zt = <usize>tf(t, T_Z) + ((<usize>r * <usize>pt) << 3);
      const at = findRow(rows, lo, fixed0, base);
      for (let a = 0; a < pt; a++) {
        const row = ad + ((<usize>(at + a) * <usize>pj) << 3);
        addScaledRow(row, getF(zt, a), z, pj);
      }
    }
    for (let col = 0; col < nFixed; col++) {
      const row = ad + ((<usize>(fixed0 + col) * <usize>pj) << 3);
      addScaledRow(row, getF(xPtr, col * n + r), z, pj);
    }
    const rowY = ad + ((<usize>(fixed0 + nFixed) * <usize>pj) << 3);
    addScaledRow(rowY, getF(yPtr, r), z, pj);
  }
}

/** Accumulates the dense block [Z_dense X y]'[Z_dense X y] (lower triangle, then mirrored). */
export function setupDense(): void {
  const nD = nDense;
  const n = nObs;
  // per-observation gather buffers: values (f64) then indices (i32), inside the scratch area
  const gv = scratchPtr;
  const gi = scratchPtr + ((<usize>nD) << 3);
  for (let r = 0; r < n; r++) {
    let w = 0;
    for (let t = nChain; t < nTerms; t++) {
      const pt = tf(t, T_P);
      const base = tf(t, T_DOFF) + getI(<usize>tf(t, T_CODES), r) * pt;
      const zt = <usize>tf(t, T_Z) + ((<usize>r * <usize>pt) << 3);
      for (let a = 0; a < pt; a++) {
        setI(gi, w, base + a);
        setF(gv, w, getF(zt, a));
        w++;
      }
    }
    w = gatherXY(gv, gi, w, xPtr, r, 1.0);
    addGatheredRow(gv, gi, w);
  }
  mirrorDense();
}

/**
 * Appends row r of X (column-major at `x`, each value times `scale`, exact at 1) and of y to the `w` values
 * gathered at `gv` (their dense rows at `gi`); returns the new count.
 */
// @ts-ignore: decorator
@inline export function gatherXY(gv: usize, gi: usize, w: i32, x: usize, r: i32, scale: f64): i32 {
  const n = nObs;
  for (let col = 0; col < nFixed; col++) {
    setI(gi, w, qDense + col);
    setF(gv, w, getF(x, col * n + r) * scale);
    w++;
  }
  setI(gi, w, nDense - 1);
  setF(gv, w, getF(yPtr, r));
  return w + 1;
}

/** Adds one observation's v v' (the `w` values gathered at `gv`, their dense rows at `gi`) to the lower triangle of the dense block. */
// @ts-ignore: decorator
@inline export function addGatheredRow(gv: usize, gi: usize, w: i32): void {
  const nD = nDense;
  for (let a = 0; a < w; a++) {
    const va = getF(gv, a);
    if (va == 0.0) continue;
    const row = addPtr + ((<usize>getI(gi, a) * <usize>nD) << 3);
    for (let b = 0; b <= a; b++) {
      const col = getI(gi, b);
      setF(row, col, getF(row, col) + va * getF(gv, b));
    }
  }
}

/** Copies the dense block's lower triangle to its upper one. */
export function mirrorDense(): void {
  const nD = nDense;
  for (let a = 0; a < nD; a++) {
    for (let b = 0; b < a; b++) setF(addPtr, b * nD + a, getF(addPtr, a * nD + b));
  }
}
