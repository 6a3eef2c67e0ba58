// Tiny dense block algebra for the per-level blocks (p_i×p_j with p ≤ ~10), row-major, stride = columns.

import { getF, setF } from './memory';

/**
 * dst (pi×pj) = Ti' · A · Tj for A pi×pj, Ti pi×pi and Tj pj×pj lower triangular.
 * `tmp` needs pi·pj doubles. dst may not alias A.
 */
export function scaleBlock(dst: usize, a: usize, ti: usize, pi: i32, tj: usize, pj: i32, tmp: usize): void {
  if (pi == 1 && pj == 1) {
    setF(dst, 0, getF(ti, 0) * getF(a, 0) * getF(tj, 0));
    return;
  }
  // tmp = A · Tj  (Tj lower: column c uses rows r ≥ c)
  for (let r = 0; r < pi; r++) {
    for (let c = 0; c < pj; c++) {
      let s = 0.0;
      for (let m = c; m < pj; m++) s += getF(a, r * pj + m) * getF(tj, m * pj + c);
      setF(tmp, r * pj + c, s);
    }
  }
  // dst = Ti' · tmp  (Ti' upper: row r uses rows m ≥ r of tmp)
  for (let r = 0; r < pi; r++) {
    for (let c = 0; c < pj; c++) {
      let s = 0.0;
      for (let m = r; m < pi; m++) s += getF(ti, m * pi + r) * getF(tmp, m * pj + c);
      setF(dst, r * pj + c, s);
    }
  }
}

/** dst (pi×pj) -= A · B' for A pi×pm and B pj×pm. */
export function subABt(dst: usize, a: usize, b: usize, pi: i32, pj: i32, pm: i32): void {
  for (let r = 0; r < pi; r++) {
    for (let c = 0; c < pj; c++) {
      let s = 0.0;
      for (let m = 0; m < pm; m++) s += getF(a, r * pm + m) * getF(b, c * pm + m);
      setF(dst, r * pj + c, getF(dst, r * pj + c) - s);
    }
  }
}

/** v (1×pj) ← v · T for T pj×pj lower (a row of A scaled by Λ on the right). `tmp`: pj doubles. */
export function rowTimesLower(v: usize, t: usize, pj: i32, tmp: usize): void {
  if (pj == 1) {
    setF(v, 0, getF(v, 0) * getF(t, 0));
    return;
  }
  for (let c = 0; c < pj; c++) {
    let s = 0.0;
    for (let m = c; m < pj; m++) s += getF(v, m) * getF(t, m * pj + c);
    setF(tmp, c, s);
  }
  for (let c = 0; c < pj; c++) setF(v, c, getF(tmp, c));
}

/** b (p) = T · u (p) for T p×p lower: b = Λ u for one level. */
export function lowerTimesVec(b: usize, t: usize, u: usize, p: i32): void {
  for (let r = 0; r < p; r++) {
    let s = 0.0;
    for (let m = 0; m <= r; m++) s += getF(t, r * p + m) * getF(u, m);
    setF(b, r, s);
  }
}
