// The chain term's entries of A⁻¹ = (Λ'Z'ZΛ + I)⁻¹ when the crossed block is factored sparse: one Takahashi
// step per level of the block-diagonal term eliminated first. With L_c the level's p×p diagonal block of L,
// V its k dense rows (the crossed block's columns it meets) and Z_RR the crossed block's selected inverse at
// those rows (a clique of its factor's pattern, from assembly/selected-inverse.ts),
//   Σ_Rc = −Z_RR V L_c⁻¹,   Σ_cc = L_c⁻ᵀ (L_c⁻¹ − V' Σ_Rc).

import { getF, getI, setF } from './memory';
import { tf, T_P, T_NLEV, T_LDIAG, T_ROWPTR, T_LD } from './model';

/**
 * Writes, per level c of term 0 at out + outOff[c] doubles: Σ_Rc (k × p, rows in the level's own order of
 * dense rows) then Σ_cc (p × p, lower triangle, row-major). The level's random-effects dense rows are the
 * first k = levelPtr[c + 1] − levelPtr[c] of its dense rows; Z_RR is read where the factor keeps the
 * level's row pairs (`pairs`: the places assembly/sparse.ts subtracts the level's Schur complement at, one
 * per pair (a, b ≤ a) of all its dense rows, level after level), which are also Z's places in the selected
 * inverse's panels `z`. Scratch: `col`, p doubles.
 */
export function chainInverse(z: usize, pairs: usize, levelPtr: usize, out: usize, outOff: usize, col: usize): void {
  const p = tf(0, T_P);
  const nlev = tf(0, T_NLEV);
  const ldiag = <usize>tf(0, T_LDIAG);
  const vRowPtr = <usize>tf(0, T_ROWPTR);
  const ld = <usize>tf(0, T_LD);
  const bb = p * p;
  let base = 0;
  for (let c = 0; c < nlev; c++) {
    const k = getI(levelPtr, c + 1) - getI(levelPtr, c);
    const i0 = getI(vRowPtr, c);
    const kAll = getI(vRowPtr, c + 1) - i0;
    const lc = ldiag + ((<usize>(c * bb)) << 3);
    const sig = out + ((<usize>getI(outOff, c)) << 3);
    const cc0 = sig + ((<usize>(k * p)) << 3);
    const v = ld + ((<usize>(i0 * p)) << 3);
    // Z_RR V into Σ_Rc's rows, from each pair (a, b ≤ a) of Z_RR once
    memory.fill(sig, 0, (<usize>(k * p)) << 3);
    let t = base;
    for (let a = 0; a < k; a++) {
      const va = v + ((<usize>(a * p)) << 3);
      const ya = sig + ((<usize>(a * p)) << 3);
      for (let b = 0; b < a; b++) {
        const zab = getF(z, getI(pairs, t++));
        const vb = v + ((<usize>(b * p)) << 3);
        const yb = sig + ((<usize>(b * p)) << 3);
        for (let e = 0; e < p; e++) {
          setF(ya, e, getF(ya, e) + zab * getF(vb, e));
          setF(yb, e, getF(yb, e) + zab * getF(va, e));
        }
      }
      const zaa = getF(z, getI(pairs, t++));
      for (let e = 0; e < p; e++) setF(ya, e, getF(ya, e) + zaa * getF(va, e));
    }
    base += (kAll * (kAll + 1)) >> 1;
    // each row of Σ_Rc: x L_c = y by back substitution, negated
    for (let a = 0; a < k; a++) {
      const row = sig + ((<usize>(a * p)) << 3);
      for (let e = p - 1; e >= 0; e--) {
        let s = getF(row, e);
        for (let b = e + 1; b < p; b++) s -= getF(row, b) * getF(lc, b * p + e);
        setF(row, e, s / getF(lc, e * p + e));
      }
      for (let e = 0; e < p; e++) setF(row, e, -getF(row, e));
    }
    // Σ_cc column by column: col = L_c⁻¹ e_j − V' Σ_Rc[:, j], then L_c' x = col
    for (let j = 0; j < p; j++) {
      for (let a = 0; a < p; a++) {
        let s = a == j ? 1.0 : 0.0;
        for (let b = 0; b < a; b++) s -= getF(lc, a * p + b) * getF(col, b);
        setF(col, a, a < j ? 0.0 : s / getF(lc, a * p + a));
      }
      for (let a = 0; a < p; a++) {
        let s = 0.0;
        for (let x = 0; x < k; x++) s += getF(v, x * p + a) * getF(sig, x * p + j);
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

/**
 * The trace of A⁻¹ over the levels of a scalar chain term (p = 1), which is all the gradient needs of it
 * when every term is scalar (src/wasm/sparse-gradient.ts, ScalarTermsGradient): with Σ_Rc = −Z_RR v / l_c,
 * (A⁻¹)_cc = (1 + v'Z_RR v) / l_c², the quadratic form read at the same pairs as chainInverse, so
 * Σ_Rc itself is never formed.
 */
export function chainInverseTrace(z: usize, pairs: usize, levelPtr: usize): f64 {
  const nlev = tf(0, T_NLEV);
  const ldiag = <usize>tf(0, T_LDIAG);
  const vRowPtr = <usize>tf(0, T_ROWPTR);
  const ld = <usize>tf(0, T_LD);
  let base = 0;
  let trace = 0.0;
  for (let c = 0; c < nlev; c++) {
    const k = getI(levelPtr, c + 1) - getI(levelPtr, c);
    const i0 = getI(vRowPtr, c);
    const kAll = getI(vRowPtr, c + 1) - i0;
    const v = ld + ((<usize>i0) << 3);
    // v'Z_RR v from each pair (a, b ≤ a) of Z_RR once
    let t = base;
    let form = 0.0;
    for (let a = 0; a < k; a++) {
      let below = 0.0;
      for (let b = 0; b < a; b++) below += getF(z, getI(pairs, t++)) * getF(v, b);
      const va = getF(v, a);
      form += va * (2.0 * below + getF(z, getI(pairs, t++)) * va);
    }
    base += (kAll * (kAll + 1)) >> 1;
    const l = getF(ldiag, c);
    trace += (1.0 + form) / (l * l);
  }
  return trace;
}
