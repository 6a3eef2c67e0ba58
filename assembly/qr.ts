// Householder QR with R's limited column pivoting (the rule of LINPACK's dqrdc2 as R uses it in lm and
// lme4 in its rank check): a column whose remaining norm falls below tol × its original norm is moved
// to the end and counts as aliased. X is n×p column-major and is overwritten by the factorization.

import { getF, setF, getI, setI } from './memory';

// @ts-ignore: decorator
@inline function col(x: usize, n: i32, j: i32): usize {
  return x + ((<usize>j * <usize>n) << 3);
}

function norm2(v: usize, len: i32): f64 {
  // scaled two-norm, safe from overflow for any column
  let scale = 0.0;
  let ssq = 1.0;
  for (let i = 0; i < len; i++) {
    const a = Math.abs(getF(v, i));
    if (a == 0.0) continue;
    if (scale < a) {
      ssq = 1.0 + ssq * (scale / a) * (scale / a);
      scale = a;
    } else {
      ssq += (a / scale) * (a / scale);
    }
  }
  return scale * Math.sqrt(ssq);
}

function dotLen(a: usize, b: usize, len: i32): f64 {
  let s = 0.0;
  for (let i = 0; i < len; i++) s += getF(a, i) * getF(b, i);
  return s;
}

/** Moves column l to position p-1, shifting columns l+1..p-1 left (X, qraux, norms and pivot alike). */
function rotateToEnd(x: usize, n: i32, p: i32, l: i32, qraux: usize, work: usize, pivot: usize): void {
  for (let i = 0; i < n; i++) {
    const t = getF(x, l * n + i);
    for (let j = l + 1; j < p; j++) setF(x, (j - 1) * n + i, getF(x, j * n + i));
    setF(x, (p - 1) * n + i, t);
  }
  const piv = getI(pivot, l);
  const q = getF(qraux, l);
  const w1 = getF(work, l);
  const w2 = getF(work, p + l);
  for (let j = l + 1; j < p; j++) {
    setI(pivot, j - 1, getI(pivot, j));
    setF(qraux, j - 1, getF(qraux, j));
    setF(work, j - 1, getF(work, j));
    setF(work, p + j - 1, getF(work, p + j));
  }
  setI(pivot, p - 1, piv);
  setF(qraux, p - 1, q);
  setF(work, p - 1, w1);
  setF(work, 2 * p - 1, w2);
}

/**
 * Factors X (n×p, column-major) in place. `pivot` (p i32) receives the column order (0-based original
 * indices), `qraux` (p) the Householder scalars, `work` needs 2p doubles. Returns the rank.
 */
export function qrDecompose(x: usize, n: i32, p: i32, tol: f64, qraux: usize, pivot: usize, work: usize): i32 {
  for (let j = 0; j < p; j++) {
    const nrm = norm2(col(x, n, j), n);
    setI(pivot, j, j);
    setF(qraux, j, nrm);
    setF(work, j, nrm);
    setF(work, p + j, nrm == 0.0 ? 1.0 : nrm);
  }
  const lup = n < p ? n : p;
  let k = p + 1; // 1 + index of the first column moved to the end (1-based as in the rank rule)
  for (let l = 0; l < lup; l++) {
    while (l + 1 < k && getF(qraux, l) < getF(work, p + l) * tol) {
      rotateToEnd(x, n, p, l, qraux, work, pivot);
      k--;
    }
    if (l == n - 1) break;
    const cl = col(x, n, l) + ((<usize>l) << 3);
    const len = n - l;
    let nrmxl = norm2(cl, len);
    if (nrmxl == 0.0) continue;
    if (getF(cl, 0) != 0.0) nrmxl = getF(cl, 0) < 0.0 ? -Math.abs(nrmxl) : Math.abs(nrmxl);
    for (let i = 0; i < len; i++) setF(cl, i, getF(cl, i) / nrmxl);
    setF(cl, 0, 1.0 + getF(cl, 0));
    for (let j = l + 1; j < p; j++) {
      const cj = col(x, n, j) + ((<usize>l) << 3);
      const t = -dotLen(cl, cj, len) / getF(cl, 0);
      for (let i = 0; i < len; i++) setF(cj, i, getF(cj, i) + t * getF(cl, i));
      const qj = getF(qraux, j);
      if (qj == 0.0) continue;
      let tt = 1.0 - (Math.abs(getF(cj, 0)) / qj) * (Math.abs(getF(cj, 0)) / qj);
      if (tt < 0.0) tt = 0.0;
      if (Math.abs(tt) < 1e-6) {
        const r = norm2(cj + 8, len - 1);
        setF(qraux, j, r);
        setF(work, j, r);
      } else {
        setF(qraux, j, qj * Math.sqrt(tt));
      }
    }
    setF(qraux, l, getF(cl, 0));
    setF(cl, 0, -nrmxl);
  }
  const rank = k - 1;
  return rank < n ? rank : n;
}

/** y ← Q'y for the first `k` Householder reflections of a factored X (y has n entries). */
export function qrQty(x: usize, n: i32, k: i32, qraux: usize, y: usize): void {
  const last = k < n - 1 ? k : n - 1; // the last row never gets a reflection
  for (let j = 0; j < last; j++) {
    const q = getF(qraux, j);
    if (q == 0.0) continue;
    const cj = col(x, n, j) + ((<usize>j) << 3);
    const saved = getF(cj, 0);
    setF(cj, 0, q);
    const yj = y + ((<usize>j) << 3);
    const t = -dotLen(cj, yj, n - j) / q;
    for (let i = 0; i < n - j; i++) setF(yj, i, getF(yj, i) + t * getF(cj, i));
    setF(cj, 0, saved);
  }
}

/** Solves R b = qty for the leading k×k upper triangle R of a factored X; b (k) may alias qty. */
export function qrSolveR(x: usize, n: i32, k: i32, qty: usize, b: usize): void {
  for (let i = k - 1; i >= 0; i--) {
    let s = getF(qty, i);
    for (let j = i + 1; j < k; j++) s -= getF(x, j * n + i) * getF(b, j);
    setF(b, i, s / getF(x, i * n + i));
  }
}
