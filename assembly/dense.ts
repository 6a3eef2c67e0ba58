// Dense kernels on row-major f64 matrices (lower triangles), scalar and f64x2 SIMD variants.
// The SIMD path is the default; `setSimd(false)` selects the scalar path (tests compare the two).

import { getF, setF } from './memory';
import { log } from './libm';

let simd: bool = true;

/** Chooses the f64x2 kernels (true) or the scalar ones (false). */
export function setSimd(on: bool): void {
  simd = on;
}

/** Whether the f64x2 kernels are selected (other modules' SIMD loops follow the same switch). */
export function simdOn(): bool {
  return simd;
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

/** Block size of the blocked Cholesky (columns per panel). */
const NB: i32 = 64;

/**
 * In-place lower Cholesky factor of the leading n×n block of a row-major matrix with row stride `ld`
 * (only the lower triangle is read or written). Returns 0, or i + 1 when pivot i is not positive.
 * Right-looking and blocked: factor a diagonal block, solve the panel below it, update the trailing
 * lower triangle with a register-tiled kernel (4 rows × 2 rows of dot products at a time).
 */
export function cholLower(a: usize, n: i32, ld: i32): i32 {
  return cholLowerColumns(a, n, n, ld);
}

/**
 * cholLower on the first `ncols` columns of an n-row lower trapezoid (a supernode's panel: its diagonal
 * block factored, the rows below it solved, nothing to the right of column ncols touched).
 */
export function cholLowerColumns(a: usize, n: i32, ncols: i32, ld: i32): i32 {
  for (let k0 = 0; k0 < ncols; k0 += NB) {
    const kb = min(NB, ncols - k0);
    // 1. diagonal block (its earlier columns were already subtracted by previous trailing updates)
    for (let i = k0; i < k0 + kb; i++) {
      const ri = rowAt(a, ld, i) + ((<usize>k0) << 3);
      for (let j = k0; j < i; j++) {
        const rj = rowAt(a, ld, j) + ((<usize>k0) << 3);
        const s = getF(ri, j - k0) - dot(ri, rj, j - k0);
        setF(ri, j - k0, s / getF(rj, j - k0));
      }
      const d = getF(ri, i - k0) - dot(ri, ri, i - k0);
      if (!(d > 0.0)) return i + 1;
      setF(ri, i - k0, Math.sqrt(d));
    }
    const r0 = k0 + kb;
    if (r0 >= n) break;
    const trailingColumns = ncols - r0;
    // 2. panel: rows below the block, A[i, k0:k0+kb] ← A[i, k0:k0+kb] L_kk^{-T}
    for (let i = r0; i < n; i++) {
      const ri = rowAt(a, ld, i) + ((<usize>k0) << 3);
      for (let j = 0; j < kb; j++) {
        const rj = rowAt(a, ld, k0 + j) + ((<usize>k0) << 3);
        setF(ri, j, (getF(ri, j) - dot(ri, rj, j)) / getF(rj, j));
      }
    }
    // 3. trailing update: A[i][j] -= A[i, panel] · A[j, panel] for r0 ≤ j ≤ i < n
    const trailing = rowAt(a, ld, r0);
    if (trailingColumns > 0) {
      subtractSyrkColumns(trailing + ((<usize>r0) << 3), ld, trailing + ((<usize>k0) << 3), ld, kb, n - r0, trailingColumns);
    }
  }
  return 0;
}

// @ts-ignore: decorator
@inline function rowAt(a: usize, ld: i32, i: i32): usize {
  return a + ((<usize>i * <usize>ld) << 3);
}

/** Columns of C updated together by subtractSyrk: their rows of W stay in L1 while row blocks stream by. */
const JB: i32 = 32;

/**
 * C[i][j] -= W[i, 0:kb] · W[j, 0:kb] for 0 ≤ j ≤ i < n (lower triangle of C − W W'), C and W row-major
 * with strides ldc and ldw. Column blocks of C of width JB; below each block's triangle, 4 rows × 2
 * columns at a time with the f64x2 kernel.
 */
export function subtractSyrk(c: usize, ldc: i32, w: usize, ldw: i32, kb: i32, n: i32): void {
  subtractSyrkColumns(c, ldc, w, ldw, kb, n, n);
}

/**
 * subtractSyrk on the first `ncols` columns only (a lower trapezoid of n rows): the slice of a supernode's
 * rank update that lands in one later supernode's columns.
 */
export function subtractSyrkColumns(c: usize, ldc: i32, w: usize, ldw: i32, kb: i32, n: i32, ncols: i32): void {
  for (let jb = 0; jb < ncols; jb += JB) {
    const je = min(ncols, jb + JB);
    // the triangle of the column block itself
    for (let i = jb; i < je; i++) {
      const wi = rowAt(w, ldw, i);
      const ci = rowAt(c, ldc, i);
      for (let j = jb; j <= i; j++) setF(ci, j, getF(ci, j) - dot(wi, rowAt(w, ldw, j), kb));
    }
    // the rows below it: C[je:n, jb:je] -= W[je:n] W[jb:je]', 4 rows × 2 columns at a time
    if (je < n) subtractABt(rowAt(c, ldc, je) + ((<usize>jb) << 3), ldc, rowAt(w, ldw, je), ldw, rowAt(w, ldw, jb), ldw, kb, n - je, je - jb, false);
  }
}

/**
 * C -= W W' on every 4×2 tile that meets the lower triangle of C (n4 × n4, n4 a multiple of 4; the
 * tiles' few entries above the diagonal are written too, so C must be scratch). For small products
 * (a few dozen rows) where subtractSyrk's column blocks would fall back to single dot products.
 */
export function subtractSyrkTiles(c: usize, ldc: i32, w: usize, ldw: i32, kb: i32, n4: i32): void {
  if (!simd) {
    subtractSyrk(c, ldc, w, ldw, kb, n4);
    return;
  }
  for (let i = 0; i < n4; i += 4) {
    for (let j = 0; j < i + 4; j += 2) kernel4x2(c, ldc, w, ldw, kb, i, j);
  }
}

/** C[i..i+3][j..j+1] -= W[i..i+3, 0:kb] · W[j..j+1, 0:kb]' (the symmetric case of tile4x2). */
function kernel4x2(c: usize, ldc: i32, w: usize, ldw: i32, kb: i32, i: i32, j: i32): void {
  tile4x2(c, ldc, w, ldw, w, ldw, kb, i, j);
}

/** Columns of C formed together: their rows of B stay in cache while the rows of A stream by. */
const ABT_JB: i32 = 32;

/**
 * C[i][j] −= A[i, 0:kb] · B[j, 0:kb] for i < nr, j < nc (j ≤ i only when `lower`: nothing above the
 * diagonal is written). Strides lda, ldb, ldc.
 */
export function subtractABt(
  c: usize, ldc: i32, a: usize, lda: i32, b: usize, ldb: i32, kb: i32, nr: i32, nc: i32, lower: bool,
): void {
  for (let jb = 0; jb < nc; jb += ABT_JB) {
    const je = min<i32>(nc, jb + ABT_JB);
    let i = lower ? jb : 0;
    if (simd) {
      for (; i + 4 <= nr; i += 4) {
        // tiles wholly on or below the diagonal (when lower: j + 1 ≤ i), then the rest one dot at a time
        const jTile = lower ? min<i32>(je, i) : je;
        let j = jb;
        for (; j + 2 <= jTile; j += 2) tile4x2(c, ldc, a, lda, b, ldb, kb, i, j);
        for (let r = i; r < i + 4; r++) {
          const jr = lower ? min<i32>(je, r + 1) : je;
          const ar = rowAt(a, lda, r);
          const cr = rowAt(c, ldc, r);
          for (let jj = j; jj < jr; jj++) setF(cr, jj, getF(cr, jj) - dot(ar, rowAt(b, ldb, jj), kb));
        }
      }
    }
    for (; i < nr; i++) {
      const jr = lower ? min<i32>(je, i + 1) : je;
      const ai = rowAt(a, lda, i);
      const ci = rowAt(c, ldc, i);
      for (let j = jb; j < jr; j++) setF(ci, j, getF(ci, j) - dot(ai, rowAt(b, ldb, j), kb));
    }
  }
}

/** C[i..i+3][j..j+1] −= A[i..i+3, 0:kb] · B[j..j+1, 0:kb]' with eight f64x2 accumulators. */
function tile4x2(c: usize, ldc: i32, a: usize, lda: i32, b: usize, ldb: i32, kb: i32, i: i32, j: i32): void {
  const sa = (<usize>lda) << 3;
  const a0 = rowAt(a, lda, i);
  const a1 = a0 + sa;
  const a2 = a1 + sa;
  const a3 = a2 + sa;
  const b0 = rowAt(b, ldb, j);
  const b1 = b0 + ((<usize>ldb) << 3);
  let c00 = f64x2.splat(0.0), c01 = f64x2.splat(0.0);
  let c10 = f64x2.splat(0.0), c11 = f64x2.splat(0.0);
  let c20 = f64x2.splat(0.0), c21 = f64x2.splat(0.0);
  let c30 = f64x2.splat(0.0), c31 = f64x2.splat(0.0);
  let k = 0;
  for (; k + 2 <= kb; k += 2) {
    const o = (<usize>k) << 3;
    const x0 = v128.load(b0 + o);
    const x1 = v128.load(b1 + o);
    let y = v128.load(a0 + o);
    c00 = f64x2.add(c00, f64x2.mul(y, x0));
    c01 = f64x2.add(c01, f64x2.mul(y, x1));
    y = v128.load(a1 + o);
    c10 = f64x2.add(c10, f64x2.mul(y, x0));
    c11 = f64x2.add(c11, f64x2.mul(y, x1));
    y = v128.load(a2 + o);
    c20 = f64x2.add(c20, f64x2.mul(y, x0));
    c21 = f64x2.add(c21, f64x2.mul(y, x1));
    y = v128.load(a3 + o);
    c30 = f64x2.add(c30, f64x2.mul(y, x0));
    c31 = f64x2.add(c31, f64x2.mul(y, x1));
  }
  let s00 = f64x2.extract_lane(c00, 0) + f64x2.extract_lane(c00, 1);
  let s01 = f64x2.extract_lane(c01, 0) + f64x2.extract_lane(c01, 1);
  let s10 = f64x2.extract_lane(c10, 0) + f64x2.extract_lane(c10, 1);
  let s11 = f64x2.extract_lane(c11, 0) + f64x2.extract_lane(c11, 1);
  let s20 = f64x2.extract_lane(c20, 0) + f64x2.extract_lane(c20, 1);
  let s21 = f64x2.extract_lane(c21, 0) + f64x2.extract_lane(c21, 1);
  let s30 = f64x2.extract_lane(c30, 0) + f64x2.extract_lane(c30, 1);
  let s31 = f64x2.extract_lane(c31, 0) + f64x2.extract_lane(c31, 1);
  if (k < kb) {
    const x0 = getF(b0, k);
    const x1 = getF(b1, k);
    s00 += getF(a0, k) * x0; s01 += getF(a0, k) * x1;
    s10 += getF(a1, k) * x0; s11 += getF(a1, k) * x1;
    s20 += getF(a2, k) * x0; s21 += getF(a2, k) * x1;
    s30 += getF(a3, k) * x0; s31 += getF(a3, k) * x1;
  }
  const sc = (<usize>ldc) << 3;
  const r0 = rowAt(c, ldc, i);
  const r1 = r0 + sc;
  const r2 = r1 + sc;
  const r3 = r2 + sc;
  setF(r0, j, getF(r0, j) - s00); setF(r0, j + 1, getF(r0, j + 1) - s01);
  setF(r1, j, getF(r1, j) - s10); setF(r1, j + 1, getF(r1, j + 1) - s11);
  setF(r2, j, getF(r2, j) - s20); setF(r2, j + 1, getF(r2, j + 1) - s21);
  setF(r3, j, getF(r3, j) - s30); setF(r3, j + 1, getF(r3, j + 1) - s31);
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
  for (let a = 0; a < p; a++) s += log(getF(l, a * ld + a));
  return 2.0 * s;
}
