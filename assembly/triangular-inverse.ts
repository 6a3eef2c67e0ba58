// The inverse of a dense lower-triangular factor and the product that turns it into the inverse of the
// matrix it factors: (L L')⁻¹ = L⁻ᵀ L⁻¹. Both keep L⁻¹ transposed (W = L⁻ᵀ, row j = column j of L⁻¹), so
// that every inner product runs over contiguous doubles in the SIMD kernels.

import { getF, setF } from './memory';
import { dot, subtractABt, subtractSyrkColumns } from './dense';
import { subtractABtPacked, subtractSyrkPacked } from './packed-kernels';

/** Columns of L⁻¹ solved together, and rows per block of the substitution. */
const INVERSE_PANEL: i32 = 32;

/** Columns of W per rank update in subtractInverseGram. */
const SYRK_PANEL: i32 = 64;

// @ts-ignore: decorator
@inline function rowAt(a: usize, ld: i32, i: i32): usize {
  return a + ((<usize>i * <usize>ld) << 3);
}

/**
 * W (m×m, stride m, zeroed here) = L⁻ᵀ for L the leading m×m lower triangle of `l` (row stride ld): row j
 * of W is column j of L⁻¹ (upper triangular), by forward substitution L x = e_j for a panel of j at once.
 * Blocked: in each panel's block of rows, what the rows before the block contribute is one product in the
 * SIMD kernel (W[J, I] −= W[J, ·] L[I, ·]'), and only the block's own triangle is solved entry by entry.
 * With `pack` (m × PACK_COLUMNS doubles, assembly/packed-kernels.ts) that product packs L's rows.
 */
export function lowerInverseRows(l: usize, ld: i32, m: i32, w: usize, pack: usize = 0): void {
  memory.fill(w, 0, (<usize>m * <usize>m) << 3);
  for (let j0 = 0; j0 < m; j0 += INVERSE_PANEL) {
    const j1 = min<i32>(m, j0 + INVERSE_PANEL);
    for (let i0 = j0; i0 < m; i0 += INVERSE_PANEL) {
      const i1 = min<i32>(m, i0 + INVERSE_PANEL);
      const wPanel = rowAt(w, m, j0);
      if (i0 > j0) {
        const cw = wPanel + ((<usize>i0) << 3);
        const aw = wPanel + ((<usize>j0) << 3);
        const bl = rowAt(l, ld, i0) + ((<usize>j0) << 3);
        if (pack != 0) subtractABtPacked(cw, m, aw, m, bl, ld, i0 - j0, j1 - j0, i1 - i0, false, pack);
        else subtractABt(cw, m, aw, m, bl, ld, i0 - j0, j1 - j0, i1 - i0, false);
      }
      for (let i = i0; i < i1; i++) {
        const li = rowAt(l, ld, i);
        const lii = getF(li, i);
        const jEnd = min<i32>(j1, i + 1);
        for (let j = j0; j < jEnd; j++) {
          const wj = rowAt(w, m, j);
          if (j == i) {
            setF(wj, i, 1.0 / lii);
            continue;
          }
          // x_i = −(Σ_{k=j}^{i−1} L_ik x_k) / L_ii, the terms before the block already in W[j][i]
          const k0 = max<i32>(j, i0);
          setF(wj, i, (getF(wj, i) - dot(li + ((<usize>k0) << 3), wj + ((<usize>k0) << 3), i - k0)) / lii);
        }
      }
    }
  }
}

/**
 * C (lower triangle of the leading m×m, stride ldc) −= W W' for W = lowerInverseRows' output: upper
 * triangular, so the columns k0..k1 of W meet its rows 0..k1 only (a third of the full product).
 * With `pack` (SYRK_PANEL × PACK_COLUMNS doubles) in the packed kernel.
 */
export function subtractInverseGram(c: usize, ldc: i32, w: usize, m: i32, pack: usize = 0): void {
  for (let k0 = 0; k0 < m; k0 += SYRK_PANEL) {
    const k1 = min<i32>(m, k0 + SYRK_PANEL);
    if (pack != 0) subtractSyrkPacked(c, ldc, w + ((<usize>k0) << 3), m, k1 - k0, k1, k1, pack);
    else subtractSyrkColumns(c, ldc, w + ((<usize>k0) << 3), m, k1 - k0, k1, k1);
  }
}

/**
 * S (m×m, full symmetric, row-major) = (L L')⁻¹ for the lower factor L (its leading m×m, row stride ld).
 * W (m×m) receives L⁻¹ transposed, so that S = W W' runs in the SIMD rank-update kernel.
 */
export function inverseFromLower(l: usize, ld: i32, m: i32, s: usize, w: usize): void {
  lowerInverseRows(l, ld, m, w);
  memory.fill(s, 0, (<usize>m * <usize>m) << 3);
  subtractInverseGram(s, m, w, m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      const v = -getF(s, i * m + j);
      setF(s, i * m + j, v);
      setF(s, j * m + i, v);
    }
  }
}
