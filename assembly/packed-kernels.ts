// C −= A B' for the supernodal factor and its selected inverse, with B's rows packed: a block of
// PACK_COLUMNS rows of B is copied k-major once, and each 4×4 tile of C is then formed from one broadcast
// of A[i][k] against two f64x2 loads of the packed rows per k (eight accumulators, no horizontal sums),
// which runs faster in WebAssembly than dot products of rows (dense.ts's tile4x2).

import { getF, setF } from './memory';
import { dot, simdOn, subtractABt } from './dense';

/** Rows of W packed at once (the columns of C they update); a multiple of 4. */
export const PACK_COLUMNS: i32 = 32;

// @ts-ignore: decorator
@inline function rowAt(a: usize, ld: i32, i: i32): usize {
  return a + ((<usize>i * <usize>ld) << 3);
}

/**
 * C[i][j] −= A[i, 0:kb] · B[j, 0:kb] for i < nr, j < nc (j ≤ i only when `lower`: nothing above the
 * diagonal is written), as dense.ts's subtractABt. `pack` holds kb × PACK_COLUMNS doubles.
 */
export function subtractABtPacked(
  c: usize, ldc: i32, a: usize, lda: i32, b: usize, ldb: i32, kb: i32, nr: i32, nc: i32, lower: bool, pack: usize,
): void {
  if (!simdOn() || kb == 0) {
    subtractABt(c, ldc, a, lda, b, ldb, kb, nr, nc, lower);
    return;
  }
  for (let jb = 0; jb < nc; jb += PACK_COLUMNS) {
    const je = min<i32>(nc, jb + PACK_COLUMNS);
    const nt = (je - jb) & ~3; // columns in whole tiles
    for (let j = 0; j < nt; j++) {
      const bj = rowAt(b, ldb, jb + j);
      for (let k = 0; k < kb; k++) setF(pack, k * nt + j, getF(bj, k));
    }
    for (let i0 = lower ? jb : 0; i0 < nr; i0 += 4) {
      const rows = min<i32>(4, nr - i0);
      // when lower, whole tiles lie on or below the diagonal when their last column is at most the first row
      let jt1 = jb + nt;
      if (rows < 4) jt1 = jb;
      else if (lower) jt1 = jb + min<i32>(nt, max<i32>(0, ((i0 - 3 - jb) >> 2) + 1) << 2);
      for (let jt = jb; jt < jt1; jt += 4) tile4x4(c, ldc, a, lda, pack + ((<usize>(jt - jb)) << 3), nt, kb, i0, jt);
      for (let i = i0; i < i0 + rows; i++) {
        const ai = rowAt(a, lda, i);
        const ci = rowAt(c, ldc, i);
        const jr = lower ? min<i32>(je, i + 1) : je;
        for (let j = jt1; j < jr; j++) setF(ci, j, getF(ci, j) - dot(ai, rowAt(b, ldb, j), kb));
      }
    }
  }
}

/** C[i][j] −= W[i, 0:kb] · W[j, 0:kb] for j < ncols, j ≤ i < n: the lower trapezoid of C − W W'. */
export function subtractSyrkPacked(c: usize, ldc: i32, w: usize, ldw: i32, kb: i32, n: i32, ncols: i32, pack: usize): void {
  subtractABtPacked(c, ldc, w, ldw, w, ldw, kb, n, ncols, true, pack);
}

/** C[i0..i0+3][j..j+3] −= A[i0..i0+3, 0:kb] · P[0:kb, 0:4] for P the packed rows (stride ps doubles per k). */
function tile4x4(c: usize, ldc: i32, a: usize, lda: i32, p: usize, ps: i32, kb: i32, i0: i32, j: i32): void {
  const sw = (<usize>lda) << 3;
  const a0 = rowAt(a, lda, i0);
  const a1 = a0 + sw;
  const a2 = a1 + sw;
  const a3 = a2 + sw;
  const sp = (<usize>ps) << 3;
  let c00 = f64x2.splat(0.0), c01 = f64x2.splat(0.0);
  let c10 = f64x2.splat(0.0), c11 = f64x2.splat(0.0);
  let c20 = f64x2.splat(0.0), c21 = f64x2.splat(0.0);
  let c30 = f64x2.splat(0.0), c31 = f64x2.splat(0.0);
  let q = p;
  for (let k = 0; k < kb; k++) {
    const o = (<usize>k) << 3;
    const x0 = v128.load(q);
    const x1 = v128.load(q + 16);
    q += sp;
    let y = v128.load64_splat(a0 + o);
    c00 = f64x2.add(c00, f64x2.mul(y, x0));
    c01 = f64x2.add(c01, f64x2.mul(y, x1));
    y = v128.load64_splat(a1 + o);
    c10 = f64x2.add(c10, f64x2.mul(y, x0));
    c11 = f64x2.add(c11, f64x2.mul(y, x1));
    y = v128.load64_splat(a2 + o);
    c20 = f64x2.add(c20, f64x2.mul(y, x0));
    c21 = f64x2.add(c21, f64x2.mul(y, x1));
    y = v128.load64_splat(a3 + o);
    c30 = f64x2.add(c30, f64x2.mul(y, x0));
    c31 = f64x2.add(c31, f64x2.mul(y, x1));
  }
  const sc = (<usize>ldc) << 3;
  const r0 = rowAt(c, ldc, i0) + ((<usize>j) << 3);
  const r1 = r0 + sc;
  const r2 = r1 + sc;
  const r3 = r2 + sc;
  v128.store(r0, f64x2.sub(v128.load(r0), c00));
  v128.store(r0 + 16, f64x2.sub(v128.load(r0 + 16), c01));
  v128.store(r1, f64x2.sub(v128.load(r1), c10));
  v128.store(r1 + 16, f64x2.sub(v128.load(r1 + 16), c11));
  v128.store(r2, f64x2.sub(v128.load(r2), c20));
  v128.store(r2 + 16, f64x2.sub(v128.load(r2 + 16), c21));
  v128.store(r3, f64x2.sub(v128.load(r3), c30));
  v128.store(r3 + 16, f64x2.sub(v128.load(r3 + 16), c31));
}
