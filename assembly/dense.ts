// Dense kernels on row-major f64 matrices (lower triangles), scalar and f64x2 SIMD variants.
// The SIMD path is the default; `setSimd(false)` selects the scalar path (tests compare the two).

import { getF, setF } from './memory';

let simd: bool = true;

/** Chooses the f64x2 kernels (true) or the scalar ones (false). */
export function setSimd(on: bool): void {
  simd = on;
}

/** Σ_k a[k]·b[k] over `len` contiguous doubles. */
export function dot(a: usize, b: usize, len: i32): f64 {
  if (!simd) return dotScalar(a, b, len);
  let acc0 = f64x2.splat(0.0);
  let acc1 = f64x2.splat(0.0);
  let k = 0;
  for (; k + 4 <= len; k += 4) {
    const off = <usize>k << 3;
    acc0 = f64x2.add(acc0, f64x2.mul(v128.load(a + off), v128.load(b + off)));
    acc1 = f64x2.add(acc1, f64x2.mul(v128.load(a + off + 16), v128.load(b + off + 16)));
  }
  const acc = f64x2.add(acc0, acc1);
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; k < len; k++) s += getF(a, k) * getF(b, k);
  return s;
}

function dotScalar(a: usize, b: usize, len: i32): f64 {
  // Same summation order as the SIMD path (four interleaved partial sums), so both agree closely.
  let s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  let k = 0;
  for (; k + 4 <= len; k += 4) {
    s0 += getF(a, k) * getF(b, k);
    s1 += getF(a, k + 1) * getF(b, k + 1);
    s2 += getF(a, k + 2) * getF(b, k + 2);
    s3 += getF(a, k + 3) * getF(b, k + 3);
  }
  let s = (s0 + s2) + (s1 + s3);
  for (; k < len; k++) s += getF(a, k) * getF(b, k);
  return s;
}

/** y[k] -= alpha · x[k] for `len` contiguous doubles. */
export function axpyNeg(y: usize, x: usize, alpha: f64, len: i32): void {
  let k = 0;
  if (simd) {
    const va = f64x2.splat(alpha);
    for (; k + 2 <= len; k += 2) {
      const off = <usize>k << 3;
      v128.store(y + off, f64x2.sub(v128.load(y + off), f64x2.mul(va, v128.load(x + off))));
    }
  }
  for (; k < len; k++) setF(y, k, getF(y, k) - alpha * getF(x, k));
}

/**
 * In-place lower Cholesky factor of the leading n×n block of a row-major matrix with row stride `ld`
 * (only the lower triangle is read or written). Returns 0, or i + 1 when pivot i is not positive.
 */
export function cholLower(a: usize, n: i32, ld: i32): i32 {
  for (let i = 0; i < n; i++) {
    const ri = a + ((<usize>i * <usize>ld) << 3);
    for (let j = 0; j < i; j++) {
      const rj = a + ((<usize>j * <usize>ld) << 3);
      const s = getF(ri, j) - dot(ri, rj, j);
      setF(ri, j, s / getF(rj, j));
    }
    const d = getF(ri, i) - dot(ri, ri, i);
    if (!(d > 0.0)) return i + 1;
    setF(ri, i, Math.sqrt(d));
  }
  return 0;
}

/**
 * Solves x·L' = v in place for a row vector v of length p (v ← v L^{-T}), L lower p×p row-major
 * with row stride `ld`. Equivalent to forward substitution L x' = v'.
 */
export function solveRowByLt(l: usize, ld: i32, p: i32, v: usize): void {
  for (let a = 0; a < p; a++) {
    const ra = l + ((<usize>a * <usize>ld) << 3);
    let s = getF(v, a);
    for (let b = 0; b < a; b++) s -= getF(ra, b) * getF(v, b);
    setF(v, a, s / getF(ra, a));
  }
}

/** Solves L'·x = v in place (back substitution with the transpose of lower L, p×p, stride ld). */
export function solveLtInPlace(l: usize, ld: i32, p: i32, v: usize): void {
  for (let a = p - 1; a >= 0; a--) {
    let s = getF(v, a);
    for (let b = a + 1; b < p; b++) s -= getF(l + ((<usize>b * <usize>ld) << 3), a) * getF(v, b);
    setF(v, a, s / getF(l + ((<usize>a * <usize>ld) << 3), a));
  }
}

/** Σ 2·log L[a][a] over the diagonal of a p×p lower factor with stride ld. */
export function logDet2(l: usize, ld: i32, p: i32): f64 {
  let s = 0.0;
  for (let a = 0; a < p; a++) s += Math.log(getF(l, a * ld + a));
  return 2.0 * s;
}
