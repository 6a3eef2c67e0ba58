// The chain term's entries of A⁻¹ = (Λ'Z'ZΛ + I)⁻¹ when the crossed block is factored sparse: one Takahashi
// step per level of the block-diagonal term eliminated first. With L_c the level's p×p diagonal block of L,
// V its k dense rows (the crossed block's columns it meets) and Z_RR the crossed block's selected inverse at
// those rows (a clique of its factor's pattern, from assembly/selected-inverse.ts),
//   Σ_Rc = −Z_RR V L_c⁻¹,   Σ_cc = L_c⁻ᵀ (L_c⁻¹ − V' Σ_Rc).

import { getF, getI, setF } from './memory';
import { dot } from './dense';
import { gatherLater } from './selected-inverse';
import { tf, T_P, T_NLEV, T_LDIAG, T_ROWPTR, T_LD } from './model';

/**
 * Writes, per level c of term 0 at out + outOff[c] doubles: Σ_Rc (k × p, rows in the level's own order of
 * dense rows) then Σ_cc (p × p, lower triangle, row-major). The level's random-effects dense rows are
 * given sorted by their factor column: sortedCols[levelPtr[c] ..] those columns ascending, sortedIdx[..]
 * each one's index in the level's list. Layout arguments as for selectedInverse; z its output.
 * Scratch: `gather` ≥ k² + 2·k·p doubles, `rel` ≥ k i32 (k: the most dense rows of a level).
 */
export function chainInverse(
  first: usize, rowPtr: usize, rows: usize, valOff: usize, snodeOf: usize, z: usize,
  levelPtr: usize, sortedCols: usize, sortedIdx: usize, out: usize, outOff: usize, gather: usize, rel: usize,
): void {
  const p = tf(0, T_P);
  const nlev = tf(0, T_NLEV);
  const ldiag = <usize>tf(0, T_LDIAG);
  const vRowPtr = <usize>tf(0, T_ROWPTR);
  const ld = <usize>tf(0, T_LD);
  const bb = p * p;
  for (let c = 0; c < nlev; c++) {
    const s0 = getI(levelPtr, c);
    const k = getI(levelPtr, c + 1) - s0;
    const i0 = getI(vRowPtr, c);
    const lc = ldiag + ((<usize>(c * bb)) << 3);
    const sig = out + ((<usize>getI(outOff, c)) << 3);
    const cc0 = sig + ((<usize>(k * p)) << 3);
    const idx = sortedIdx + ((<usize>s0) << 2);
    // scratch: Z_RR (k × k) | Vᵀ in sorted order (p × k) | one row of Σ_Rc (p)
    const zrr = gather;
    const vt = zrr + ((<usize>k * <usize>k) << 3);
    const row = vt + ((<usize>k * <usize>p) << 3);
    gatherLater(sortedCols + ((<usize>s0) << 2), k, rows, first, rowPtr, valOff, snodeOf, z, zrr, rel);
    for (let a = 0; a < k; a++) {
      const va = ld + ((<usize>((i0 + getI(idx, a)) * p)) << 3);
      for (let e = 0; e < p; e++) setF(vt, e * k + a, getF(va, e));
    }
    // each row of Σ_Rc: y = (Z_RR V)[a], then x L_c = y by back substitution, negated
    for (let a = 0; a < k; a++) {
      const za = zrr + ((<usize>a * <usize>k) << 3);
      for (let e = 0; e < p; e++) setF(row, e, dot(za, vt + ((<usize>e * <usize>k) << 3), k));
      for (let e = p - 1; e >= 0; e--) {
        let s = getF(row, e);
        for (let b = e + 1; b < p; b++) s -= getF(row, b) * getF(lc, b * p + e);
        setF(row, e, s / getF(lc, e * p + e));
      }
      const dst = sig + ((<usize>(getI(idx, a) * p)) << 3);
      for (let e = 0; e < p; e++) setF(dst, e, -getF(row, e));
    }
    // Σ_cc column by column: col = L_c⁻¹ e_j − V' Σ_Rc[:, j], then L_c' x = col
    const col = row;
    for (let j = 0; j < p; j++) {
      for (let a = 0; a < p; a++) {
        let s = a == j ? 1.0 : 0.0;
        for (let b = 0; b < a; b++) s -= getF(lc, a * p + b) * getF(col, b);
        setF(col, a, a < j ? 0.0 : s / getF(lc, a * p + a));
      }
      for (let a = 0; a < p; a++) {
        let s = 0.0;
        for (let x = 0; x < k; x++) s += getF(ld, (i0 + x) * p + a) * getF(sig, x * p + j);
        setF(col, a, getF(col, a) - s);
      }
      for (let a = p - 1; a >= 0; a--) {
        let s = getF(col, a);
        for (let b = a + 1; b < p; b++) s -= getF(lc, b * p + a) * getF(col, b);
        setF(col, a, s / getF(lc, a * p + a));
      }
      for (let a = j; a < p; a++) setF(cc0, a * p + j, getF(col, a));
    }
  }
}
