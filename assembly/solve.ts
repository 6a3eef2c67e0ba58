// Back-substitution through the factor of the last factorize(): the conditional modes u and the fixed
// effects β solve L'[u; β] = c, where c is the y row of the bordered factor (Bates et al. 2015, eq. 18).
// Then b = Λθ u and the fitted values Xβ + Zb.

import { getF, getI, setF } from './memory';
import { solveLtInPlace } from './dense';
import { lowerTimesVec } from './small';
import { sparseOn, sparseSolveDense } from './sparse';
import {
  nObs, nFixed, nTerms, nChain, nDense, qDense, xPtr, dPtr, scratchPtr,
  tf, pf, T_P, T_NLEV, T_DOFF, T_UOFF, T_LAMBDA, T_LDIAG, T_ROWPTR, T_ROWS, T_LD, T_CODES, T_Z,
  P_PAR, P_LPAR,
} from './model';

/** Writes β (p doubles) to `beta` and u (q doubles, lme4's column order of Z) to `u`. */
export function solveBetaU(beta: usize, u: usize): void {
  const nD = nDense;
  const d = dPtr;
  // dense part: L_D' x = c_D with c_D the y row of D (x holds the dense terms' u, then β)
  const x = scratchPtr;
  if (sparseOn) sparseSolveDense(x);
  else {
    for (let a = 0; a < nD - 1; a++) setF(x, a, getF(d, (nD - 1) * nD + a));
    for (let a = nD - 2; a >= 0; a--) {
      let s = getF(x, a);
      for (let b = a + 1; b < nD - 1; b++) s -= getF(d, b * nD + a) * getF(x, b);
      setF(x, a, s / getF(d, a * nD + a));
    }
  }
  for (let col = 0; col < nFixed; col++) setF(beta, col, getF(x, qDense + col));
  for (let t = nChain; t < nTerms; t++) {
    const size = tf(t, T_NLEV) * tf(t, T_P);
    const doff = tf(t, T_DOFF);
    const uoff = tf(t, T_UOFF);
    for (let a = 0; a < size; a++) setF(u, uoff + a, getF(x, doff + a));
  }
  // chain terms, last to first
  const rhs = scratchPtr + ((<usize>nD) << 3);
  for (let j = nChain - 1; j >= 0; j--) {
    const pj = tf(j, T_P);
    const lj = tf(j, T_NLEV);
    const rowPtr = <usize>tf(j, T_ROWPTR);
    const rows = <usize>tf(j, T_ROWS);
    const ld = <usize>tf(j, T_LD);
    const ldiag = <usize>tf(j, T_LDIAG);
    const uoff = tf(j, T_UOFF);
    if (pj == 1) {
      solveScalarChainTerm(j, x, u);
      continue;
    }
    for (let c = 0; c < lj; c++) {
      const i1 = getI(rowPtr, c + 1);
      // the last row of each level's list is y: its entries are this level's part of c
      for (let b = 0; b < pj; b++) setF(rhs, b, getF(ld, (i1 - 1) * pj + b));
      for (let idx = getI(rowPtr, c); idx < i1 - 1; idx++) {
        const xv = getF(x, getI(rows, idx));
        for (let b = 0; b < pj; b++) setF(rhs, b, getF(rhs, b) - getF(ld, idx * pj + b) * xv);
      }
      for (let i = j + 1; i < nChain; i++) {
        const pi = tf(i, T_P);
        const parent = getI(<usize>pf(i, j, P_PAR), c);
        const blk = <usize>pf(i, j, P_LPAR) + ((<usize>(c * pi * pj)) << 3);
        const ui = tf(i, T_UOFF) + parent * pi;
        for (let b = 0; b < pj; b++) {
          let s = 0.0;
          for (let a = 0; a < pi; a++) s += getF(blk, a * pj + b) * getF(u, ui + a);
          setF(rhs, b, getF(rhs, b) - s);
        }
      }
      solveLtInPlace(ldiag + ((<usize>(c * pj * pj)) << 3), pj, pj, rhs);
      for (let b = 0; b < pj; b++) setF(u, uoff + c * pj + b, getF(rhs, b));
    }
  }
}

/**
 * The chain loop of solveBetaU for a scalar term j, as passes over its levels written straight into u: each
 * level's y entry less its dense rows' part, then less each later chain term's part (parents in term order),
 * then divided by L_jj. Each level sees the operations of the block loop in the same order (1×1 blocks), so
 * the same bits.
 */
function solveScalarChainTerm(j: i32, x: usize, u: usize): void {
  const lj = tf(j, T_NLEV);
  const rowPtr = <usize>tf(j, T_ROWPTR);
  const rows = <usize>tf(j, T_ROWS);
  const ld = <usize>tf(j, T_LD);
  const uj = u + ((<usize>tf(j, T_UOFF)) << 3);
  let i0 = getI(rowPtr, 0);
  for (let c = 0; c < lj; c++) {
    const i1 = getI(rowPtr, c + 1);
    let s = getF(ld, i1 - 1);
    for (let idx = i0; idx < i1 - 1; idx++) s -= getF(ld, idx) * getF(x, getI(rows, idx));
    setF(uj, c, s);
    i0 = i1;
  }
  for (let i = j + 1; i < nChain; i++) {
    const pi = tf(i, T_P);
    const par = <usize>pf(i, j, P_PAR);
    const lpar = <usize>pf(i, j, P_LPAR);
    const ui = u + ((<usize>tf(i, T_UOFF)) << 3);
    for (let c = 0; c < lj; c++) {
      const parent = getI(par, c);
      let s = 0.0;
      for (let a = 0; a < pi; a++) s += getF(lpar, c * pi + a) * getF(ui, parent * pi + a);
      setF(uj, c, getF(uj, c) - s);
    }
  }
  const ldiag = <usize>tf(j, T_LDIAG);
  for (let c = 0; c < lj; c++) setF(uj, c, getF(uj, c) / getF(ldiag, c));
}

/** b = Λθ u, level by level (q doubles each). */
export function computeB(u: usize, b: usize): void {
  for (let t = 0; t < nTerms; t++) {
    const pt = tf(t, T_P);
    const lt = tf(t, T_NLEV);
    const tt = <usize>tf(t, T_LAMBDA);
    const off = tf(t, T_UOFF);
    if (pt == 1) {
      // lowerTimesVec on 1×1 blocks, inline (0 + t·u, so the same bits)
      const t00 = getF(tt, 0);
      for (let g = off; g < off + lt; g++) setF(b, g, 0.0 + t00 * getF(u, g));
      continue;
    }
    for (let g = 0; g < lt; g++) {
      const at = (<usize>(off + g * pt)) << 3;
      lowerTimesVec(b + at, tt, u + at, pt);
    }
  }
}

/** fitted (n doubles) = Xβ + Zb. */
export function computeFitted(beta: usize, b: usize, fitted: usize): void {
  const n = nObs;
  for (let r = 0; r < n; r++) {
    let s = 0.0;
    for (let col = 0; col < nFixed; col++) s += getF(xPtr, col * n + r) * getF(beta, col);
    for (let t = 0; t < nTerms; t++) {
      const pt = tf(t, T_P);
      const g = getI(<usize>tf(t, T_CODES), r);
      const z = <usize>tf(t, T_Z) + ((<usize>(r * pt)) << 3);
      const bt = tf(t, T_UOFF) + g * pt;
      for (let a = 0; a < pt; a++) s += getF(z, a) * getF(b, bt + a);
    }
    setF(fitted, r, s);
  }
}
